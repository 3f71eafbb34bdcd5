import type { ErrorPayload, Outcome } from './protocol.ts';
import type { LaunchSpec } from './runtime-process.ts';
import { RuntimeProcess } from './runtime-process.ts';

/** Concurrent execution environments per function (AWS scales further; a laptop should not). */
export const MAX_ENVIRONMENTS = 4;

/** How a pool starts an environment for its configuration. */
export interface Starter {
  spec(): Promise<LaunchSpec | ErrorPayload>;
  /** When environments started now must retire (their credentials' expiry, less a margin). */
  retireAt(): number;
  /** Output outside an invocation. */
  log(text: string): void;
}

/** A warm environment to run on, or why none could start. */
export type Lease =
  { ok: true; proc: RuntimeProcess; initMs?: number } | { ok: false; outcome: Outcome; output?: string };

/**
 * The execution environments of one function configuration: idle ones are reused (warm
 * starts), new ones are started up to MAX_ENVIRONMENTS, further invocations wait for one.
 * A process that crashed or timed out is discarded; the next invocation starts a fresh one.
 */
export class EnvironmentPool {
  private readonly all = new Set<RuntimeProcess>();
  private readonly idle: RuntimeProcess[] = [];
  private readonly waiting: Array<() => void> = [];
  /** Starts whose process does not exist yet: they hold a slot, or a burst would start one each. */
  private launching = 0;
  private disposed = false;

  constructor(
    readonly fingerprint: string,
    private readonly starter: Starter,
  ) {}

  get size(): number {
    return this.all.size;
  }

  get pids(): number[] {
    return [...this.all].map((p) => p.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** An environment for an invocation that must be able to run for `needMs`. */
  async acquire(needMs: number): Promise<Lease> {
    for (;;) {
      if (this.disposed) return { ok: false, outcome: { kind: 'exit', code: null, signal: 'SIGKILL' } };
      const proc = this.idle.pop();
      if (proc) {
        if (proc.alive && proc.retireAt > Date.now() + needMs) return { ok: true, proc };
        this.discard(proc);
        continue;
      }
      if (this.all.size + this.launching < MAX_ENVIRONMENTS) return this.start();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  release(proc: RuntimeProcess): void {
    proc.sink = undefined;
    if (this.disposed || !proc.alive) return this.discard(proc);
    this.idle.push(proc);
    this.waiting.shift()?.();
  }

  discard(proc: RuntimeProcess): void {
    proc.sink = undefined;
    this.all.delete(proc);
    const at = this.idle.indexOf(proc);
    if (at !== -1) this.idle.splice(at, 1);
    void proc.kill();
    this.waiting.shift()?.();
  }

  /** Ends environments idle for longer than `idleMs`. */
  reap(idleMs: number): void {
    for (const proc of [...this.idle]) if (Date.now() - proc.lastUsed > idleMs) this.discard(proc);
  }

  /** Stops every environment; running invocations end as crashed. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const procs = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(procs.map((p) => p.kill()));
  }

  private async start(): Promise<Lease> {
    this.launching++;
    let spec: LaunchSpec | ErrorPayload | undefined;
    try {
      spec = await this.starter.spec();
    } finally {
      // Synchronous with the `all.add` below: the slot passes from `launching` to `all` at once.
      this.launching--;
      if (!spec || !('command' in spec)) this.waiting.shift()?.(); // no process: the slot is free
    }
    if (!('command' in spec)) return { ok: false, outcome: { kind: 'unavailable', error: spec } };
    const began = performance.now();
    const proc = new RuntimeProcess(spec, (text) => this.starter.log(text), this.starter.retireAt());
    this.all.add(proc);
    const failure = await proc.ready;
    if (failure || this.disposed) {
      this.discard(proc);
      return {
        ok: false,
        outcome: failure ?? { kind: 'exit', code: null, signal: 'SIGKILL' },
        output: proc.initOutput,
      };
    }
    return { ok: true, proc, initMs: performance.now() - began };
  }
}
