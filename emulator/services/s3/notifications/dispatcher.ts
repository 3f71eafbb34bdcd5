import type { RequestContext } from '../../../core/context.ts';
import type { EmulatorEnv } from '../../../core/env.ts';
import { JsonStore } from '../../../storage/json-store.ts';
import type { BucketStore } from '../model/bucket-store.ts';
import type { StagedFile } from '../model/staging.ts';
import type { ObjectMeta } from '../model/types.ts';
import { newVersionId, NULL_VERSION } from '../model/version-table.ts';
import { nextSequencer, s3Event } from './event.ts';
import { wants } from './notification-config.ts';

/** One event waiting to be handed to Lambda. */
interface PendingEvent {
  id: string;
  functionArn: string;
  /** JSON text of the event. */
  payload: string;
  createdAt: number;
}

export interface DispatcherOptions {
  /** Waits between attempts after a function error (Lambda async: 2 retries). */
  retryDelaysMs: number[];
  /** How long to wait for a Lambda service to appear before giving up on an event. */
  lambdaWaitMs: number;
}

/** `S3_EVENT_RETRY_DELAYS_MS=100,200` shortens the retry waits (tests). */
export function dispatcherOptionsFromEnv(): DispatcherOptions {
  const raw = process.env['S3_EVENT_RETRY_DELAYS_MS'];
  const delays = raw
    ? raw
        .split(',')
        .map(Number)
        .filter((n) => Number.isFinite(n) && n >= 0)
    : [1000, 2000];
  return { retryDelaysMs: delays, lambdaWaitMs: 30_000 };
}

/**
 * S3 → Lambda delivery. Each event is written to a durable queue before its object becomes
 * visible (so before the upload is acknowledged), then invoked asynchronously and removed once
 * Lambda took it (or after the retries ran out). Pending events are redelivered when the
 * emulator starts again.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
export class NotificationDispatcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Events queued for an object whose commit has not finished: not delivered yet. */
  private readonly held = new Set<string>();
  private closed = false;
  private readonly wakers = new Set<() => void>();

  private constructor(
    private readonly env: EmulatorEnv,
    private readonly buckets: BucketStore,
    private readonly queue: JsonStore<PendingEvent>,
    private readonly options: DispatcherOptions,
  ) {}

  static async open(
    dir: string,
    env: EmulatorEnv,
    buckets: BucketStore,
    options: DispatcherOptions,
  ): Promise<NotificationDispatcher> {
    const dispatcher = new NotificationDispatcher(
      env,
      buckets,
      await JsonStore.open<PendingEvent>(dir),
      options,
    );
    // Redeliver what a previous run left pending, once the other services are up.
    setImmediate(() => dispatcher.kick());
    return dispatcher;
  }

  /**
   * Makes a staged upload the object `key` together with its events: each matching
   * configuration's event is queued (durably) and held, then `commit` runs, then delivery starts.
   * A crash in between leaves at worst an event whose object never appeared (the function finds
   * it gone), never a stored object without its event. If `commit` fails, its events are dropped.
   * On a versioned bucket the version id is chosen here, so that the event can name it: `commit`
   * gets it (undefined when no event is sent: the store then chooses).
   */
  async objectCreated(
    ctx: RequestContext,
    bucketName: string,
    key: string,
    staged: Pick<StagedFile, 'size' | 'md5'> & { etag?: string },
    eventName: string,
    commit: (versionId?: string) => Promise<ObjectMeta>,
  ): Promise<ObjectMeta> {
    const bucket = this.buckets.inForce(bucketName);
    const configs = bucket?.notification?.lambda.filter((c) => wants(c, eventName, key)) ?? [];
    if (!bucket || configs.length === 0) return commit();
    const versionId = bucket.versioning === 'Enabled' ? newVersionId() : undefined;
    // UNVERIFIED: a suspended bucket's events name the version `null`.
    const eventVersion = bucket.versioning ? (versionId ?? NULL_VERSION) : undefined;
    const sequencer = nextSequencer();
    const sourceIp = (ctx.req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const ids = configs.map((_, i) => `${sequencer}-${i}`);
    for (const id of ids) this.held.add(id);
    try {
      await Promise.all(
        configs.map((config, i) => {
          const event = s3Event({
            eventName,
            region: bucket.region,
            bucket: bucket.name,
            configurationId: config.Id,
            meta: {
              key,
              size: staged.size,
              etag: staged.etag ?? staged.md5.toString('hex'),
              ...(eventVersion ? { versionId: eventVersion } : {}),
            },
            principal: ctx.principal,
            sourceIp,
            requestId: ctx.id,
            hostId: ctx.hostId,
            sequencer,
          });
          return this.queue.put(ids[i]!, {
            id: ids[i]!,
            functionArn: config.LambdaFunctionArn,
            payload: JSON.stringify(event),
            createdAt: Date.now(),
          });
        }),
      );
      try {
        return await commit(versionId);
      } catch (err) {
        await Promise.all(ids.map((id) => this.queue.delete(id)));
        throw err;
      }
    } finally {
      for (const id of ids) this.held.delete(id);
      this.kick();
    }
  }

  /** Starts delivering every queued event that is not already on its way. */
  private kick(): void {
    if (this.closed) return;
    for (const entry of this.queue.values().sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (this.inFlight.has(entry.id) || this.held.has(entry.id)) continue;
      const run = this.deliver(entry)
        .catch((err: unknown) => this.env.logger.error(`s3 event ${entry.id} delivery failed`, err))
        .finally(() => this.inFlight.delete(entry.id));
      this.inFlight.set(entry.id, run);
    }
  }

  private async deliver(entry: PendingEvent): Promise<void> {
    const waitUntil = Date.now() + this.options.lambdaWaitMs;
    while (!this.env.lambda && Date.now() < waitUntil) if (!(await this.pause(200))) return;
    for (let attempt = 0; ; attempt++) {
      const failure = await this.invokeOnce(entry);
      if (failure === undefined) break;
      if (attempt >= this.options.retryDelaysMs.length) {
        this.env.logger.error(
          `s3 event ${entry.id} to ${entry.functionArn} dropped after ${attempt + 1} attempts: ${failure}`,
        );
        break;
      }
      // Stopping mid-retry keeps the event queued for the next start.
      if (!(await this.pause(this.options.retryDelaysMs[attempt]!))) return;
    }
    await this.queue.delete(entry.id);
  }

  /** Waits `ms`; false when the dispatcher closed meanwhile. */
  private pause(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakers.delete(wake);
        resolve(!this.closed);
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve(false);
      };
      this.wakers.add(wake);
    });
  }

  /** undefined on success, else why it failed. */
  private async invokeOnce(entry: PendingEvent): Promise<string | undefined> {
    const lambda = this.env.lambda;
    if (!lambda) return 'no Lambda service in this build of the local AWS';
    try {
      const result = await lambda.invoke({
        functionArn: entry.functionArn,
        payload: Buffer.from(entry.payload),
        // Synchronous on purpose: this durable queue is the asynchronous part and owns the retries,
        // so events survive a restart; handing off to Lambda's in-memory Event queue would not.
        invocationType: 'RequestResponse',
      });
      return result.functionError ? `function error (${result.functionError})` : undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.wakers) wake();
    this.wakers.clear();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  async clear(): Promise<void> {
    await this.queue.clear();
  }
}
