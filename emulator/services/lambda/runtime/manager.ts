import type { SessionRecord } from '../../../auth/credentials.ts';
import type { FunctionRecord } from '../model.ts';
import type { InvocationLog } from './invocation-log.ts';
import { launchSpec } from './launch.ts';
import { EnvironmentPool } from './pool.ts';
import type { ErrorPayload, InvokeMessage, Outcome } from './protocol.ts';

/** Warm environments that sat unused this long are stopped. */
const IDLE_MS = 10 * 60_000;
/** An environment stops taking invocations this long before its credentials expire. */
const CREDENTIALS_MARGIN_MS = 10 * 60_000;

export interface RuntimeDeps {
  /** The local AWS's URL for AWS_ENDPOINT_URL. */
  endpoint(): string;
  taskDir(codeKey: string): string;
  /** The execution role's session for the function, or why Lambda cannot assume it. */
  credentials(record: FunctionRecord): Promise<SessionRecord | ErrorPayload>;
  /** Output of a function outside an invocation. */
  log(functionName: string, text: string): void;
}

export interface RunResult {
  outcome: Outcome;
  pid?: number | undefined;
  initMs?: number | undefined;
  /** The environment's log stream (none when no environment could start). */
  logStream?: string | undefined;
  /** On a cold start, what the function printed while it loaded (CloudWatch shows it before START). */
  initOutput?: { at: number; text: string } | undefined;
}

const keyOf = (r: FunctionRecord) => `${r.region}/${r.name}`;
const fingerprint = (r: FunctionRecord) =>
  JSON.stringify([r.code.key, r.runtime, r.handler, r.memorySize, r.role, r.environment ?? null]);

/**
 * Runs invocations in warm execution environments: one pool per function, replaced when the
 * function's code or configuration changes.
 */
export class RuntimeManager {
  private readonly pools = new Map<string, EnvironmentPool>();
  private readonly reaper = setInterval(() => {
    for (const pool of this.pools.values()) pool.reap(IDLE_MS);
  }, 60_000).unref();

  constructor(private readonly deps: RuntimeDeps) {}

  /** Runs one invocation; the message's deadline starts once an environment is ready. */
  async run(
    record: FunctionRecord,
    message: Omit<InvokeMessage, 't' | 'deadline'>,
    log: InvocationLog,
  ): Promise<RunResult> {
    const pool = this.poolFor(record);
    const timeoutMs = record.timeout * 1000;
    const lease = await pool.acquire(timeoutMs);
    if (!lease.ok) {
      log.write(lease.output ?? '');
      return { outcome: lease.outcome };
    }
    const { proc } = lease;
    proc.sink = (text) => log.write(text);
    log.begin();
    const outcome = await proc.invoke(
      { t: 'invoke', ...message, deadline: Date.now() + timeoutMs },
      timeoutMs,
    );
    const pid = proc.pid;
    if (outcome.kind === 'result' || (outcome.kind === 'error' && !outcome.fatal)) pool.release(proc);
    else pool.discard(proc);
    const cold = lease.initMs !== undefined && proc.initOutput !== '';
    return {
      outcome,
      pid,
      initMs: lease.initMs,
      logStream: proc.logStream,
      ...(cold ? { initOutput: { at: proc.startedAt, text: proc.initOutput } } : {}),
    };
  }

  /** Stops a function's environments (it was deleted). */
  async stop(region: string, name: string): Promise<void> {
    const key = `${region}/${name}`;
    const pool = this.pools.get(key);
    this.pools.delete(key);
    await pool?.dispose();
  }

  /** The processes running for a function now. */
  pids(region: string, name: string): number[] {
    return this.pools.get(`${region}/${name}`)?.pids ?? [];
  }

  /** Stops every environment (reset); the manager stays usable. */
  async stopAll(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.dispose()));
  }

  async close(): Promise<void> {
    clearInterval(this.reaper);
    await this.stopAll();
  }

  private poolFor(record: FunctionRecord): EnvironmentPool {
    const key = keyOf(record);
    const print = fingerprint(record);
    const existing = this.pools.get(key);
    if (existing?.fingerprint === print) return existing;
    void existing?.dispose();
    let retireAt = Infinity;
    const pool = new EnvironmentPool(print, {
      spec: async () => {
        const credentials = await this.deps.credentials(record);
        if (!('accessKeyId' in credentials)) return credentials;
        retireAt = credentials.expiresAt - CREDENTIALS_MARGIN_MS;
        return launchSpec({
          record,
          taskDir: this.deps.taskDir(record.code.key),
          endpoint: this.deps.endpoint(),
          credentials,
        });
      },
      retireAt: () => retireAt,
      log: (text) => this.deps.log(record.name, text),
    });
    this.pools.set(key, pool);
    return pool;
  }
}
