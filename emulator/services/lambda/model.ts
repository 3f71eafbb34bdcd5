import type { Consistency } from '../../core/consistency.ts';
import { uuid } from '../../core/ids.ts';
import type { Logger } from '../../core/log.ts';
import { JsonStore } from '../../storage/json-store.ts';
import { lambdaErrors } from './errors.ts';
import { qualifiedArn, unqualifiedArn, type FunctionRef } from './names.ts';

/** One statement of a function's resource-based policy, in the order AWS writes its members. */
export interface PolicyStatementRecord {
  Sid: string;
  Effect: 'Allow';
  Principal: string | { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

/** A function's `$LATEST` as stored under `<dataDir>/lambda/functions/`. */
export interface FunctionRecord {
  name: string;
  region: string;
  arn: string;
  runtime: string;
  role: string;
  handler: string;
  description: string;
  timeout: number;
  memorySize: number;
  /** Absent until the caller sets one (AWS then omits `Environment`). */
  environment?: Record<string, string>;
  architectures: string[];
  ephemeralStorage: number;
  code: { sha256: string; size: number; key: string };
  revisionId: string;
  lastModified: string;
  state: 'Pending' | 'Active';
  lastUpdateStatus?: 'InProgress' | 'Successful';
  /** When a Pending state or an InProgress update settles (ms since epoch). */
  settlesAt?: number;
  /** While an update is InProgress: what ran before it, which invocations still run (§11.2). */
  previous?: RunnableConfig;
  policy?: { revisionId: string; statements: PolicyStatementRecord[] };
  tags: Record<string, string>;
}

/** What an invocation runs: the code and the configuration that reaches the environment. */
export type RunnableConfig = Pick<
  FunctionRecord,
  | 'runtime'
  | 'role'
  | 'handler'
  | 'timeout'
  | 'memorySize'
  | 'environment'
  | 'architectures'
  | 'ephemeralStorage'
  | 'code'
>;

function runnable(r: FunctionRecord): RunnableConfig {
  const { runtime, role, handler, timeout, memorySize, architectures, ephemeralStorage, code } = r;
  return {
    ...{ runtime, role, handler, timeout, memorySize, architectures, ephemeralStorage, code },
    ...(r.environment ? { environment: r.environment } : {}),
  };
}

/** The record as invocations see it: while an update is InProgress, the code and configuration from before. */
export function asInvoked(record: FunctionRecord): FunctionRecord {
  if (record.lastUpdateStatus !== 'InProgress' || !record.previous) return record;
  const { previous, environment: _now, ...rest } = record;
  return { ...rest, ...previous };
}

/**
 * How long a create or update stays Pending / InProgress: with `--consistency aws`, the delays of
 * `core/consistency.ts`; otherwise 150 ms, long enough that the SDK waiters
 * (`function-active-v2`, `function-updated-v2`) see the transition, short enough not to slow a
 * deploy. `EMULATOR_LAMBDA_SETTLE_MS` changes the latter (tests of the in-between states).
 */
export function settleMs(
  consistency?: Consistency,
  kind: 'functionCreate' | 'functionUpdate' = 'functionUpdate',
): number {
  if (consistency?.mode === 'aws') return consistency.delayMs(kind);
  const value = Number(process.env['EMULATOR_LAMBDA_SETTLE_MS']);
  return Number.isFinite(value) && value >= 0 ? value : 150;
}

/** `2024-01-01T00:00:00.000+0000`, Lambda's LastModified format. */
export const lambdaDate = (ms = Date.now()): string => new Date(ms).toISOString().replace('Z', '+0000');

const keyOf = (region: string, name: string) => `${region}/${name}`;

/** A change to a record; an `undefined` member removes it (e.g. the last policy statement). */
export type RecordChange = { [K in keyof FunctionRecord]?: FunctionRecord[K] | undefined };

function apply(record: FunctionRecord, change: RecordChange): FunctionRecord {
  const next: Record<string, unknown> = { ...record };
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  return next as unknown as FunctionRecord;
}

/**
 * Lambda's state: one record per function. A record read after its settle time is settled
 * first (Pending → Active, InProgress → Successful, with a new RevisionId as AWS shows).
 */
export class FunctionStore {
  private constructor(
    private readonly store: JsonStore<FunctionRecord>,
    private readonly logger: Logger,
    private readonly consistency: Consistency | undefined,
  ) {}

  static async open(dir: string, logger: Logger, consistency?: Consistency): Promise<FunctionStore> {
    return new FunctionStore(await JsonStore.open<FunctionRecord>(dir), logger, consistency);
  }

  find(region: string, name: string): FunctionRecord | undefined {
    const record = this.store.get(keyOf(region, name));
    return record && this.settle(record);
  }

  /** The function `ref` names, or the 404 AWS answers (Invoke names the qualified ARN). */
  require(ref: FunctionRef, operation?: string): FunctionRecord {
    const record = this.find(ref.region, ref.name);
    const qualified = ref.qualifier !== undefined && ref.qualifier !== '$LATEST';
    if (record && !qualified) return record;
    throw lambdaErrors.functionNotFound(
      operation === 'Invoke' || qualified ? qualifiedArn(ref) : unqualifiedArn(ref.region, ref.name),
    );
  }

  list(region: string): FunctionRecord[] {
    return this.store
      .values()
      .filter((r) => r.region === region)
      .map((r) => this.settle(r))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  all(): FunctionRecord[] {
    return this.store.values();
  }

  async put(record: FunctionRecord): Promise<void> {
    await this.store.put(keyOf(record.region, record.name), record);
  }

  /** Stores a change to the function: new RevisionId and LastModified, update InProgress. */
  async update(record: FunctionRecord, change: RecordChange): Promise<FunctionRecord> {
    const next: FunctionRecord = {
      ...apply(record, change),
      revisionId: uuid(),
      lastModified: lambdaDate(),
      lastUpdateStatus: 'InProgress',
      settlesAt: Date.now() + settleMs(this.consistency),
      // Kept durably, so invocations during the update run what ran before it, across a restart too.
      previous: runnable(record),
    };
    await this.put(next);
    return next;
  }

  /** Stores a change that is not an update of the function itself (policy, tags). */
  async patch(record: FunctionRecord, change: RecordChange): Promise<FunctionRecord> {
    const next = apply(record, change);
    await this.put(next);
    return next;
  }

  async delete(record: FunctionRecord): Promise<void> {
    await this.store.delete(keyOf(record.region, record.name));
  }

  async clear(): Promise<void> {
    await this.store.clear();
  }

  private settle(record: FunctionRecord): FunctionRecord {
    if (record.settlesAt === undefined || record.settlesAt > Date.now()) return record;
    const { settlesAt: _settled, previous: _previous, ...rest } = record;
    const next: FunctionRecord = {
      ...rest,
      state: 'Active',
      lastUpdateStatus: 'Successful',
      revisionId: uuid(),
    };
    this.put(next).catch((err: unknown) => this.logger.error(`lambda: could not store ${record.name}`, err));
    return next;
  }
}
