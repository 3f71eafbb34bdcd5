import type { Logger } from '../../core/log.ts';
import type { InvocationResult } from './invoker.ts';

/**
 * Pause before each retry of a failed asynchronous invocation. AWS retries twice, after about
 * one and then two minutes; the local AWS keeps the count and shortens the waits (a choice, so
 * that a lab's pipeline settles in seconds).
 */
export const RETRY_DELAYS_MS = [1000, 2000];

/**
 * Asynchronous (`Event`) invocations: queued in-process, run once, retried twice on a function
 * error (errors, timeouts, crashes). https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
export class AsyncInvocations {
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly logger: Logger,
    /** Runs the function now; undefined when it no longer exists. */
    private readonly run: (functionArn: string, payload: Buffer) => Promise<InvocationResult | undefined>,
  ) {}

  enqueue(functionArn: string, payload: Buffer, attempt = 0): void {
    if (this.closed) return;
    const task = this.attempt(functionArn, payload, attempt).finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Stops retrying; waits for the invocations running now (the runtime is being stopped too). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.running]);
  }

  /** Forgets queued retries (reset), leaving the service open. */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(functionArn: string, payload: Buffer, attempt: number): Promise<void> {
    let result: InvocationResult | undefined;
    try {
      result = await this.run(functionArn, payload);
    } catch (err) {
      this.logger.error(`lambda: asynchronous invocation of ${functionArn} failed`, err);
      return;
    }
    if (!result?.functionError || this.closed) return;
    const delay = RETRY_DELAYS_MS[attempt];
    if (delay === undefined) {
      this.logger.info(
        `lambda: ${functionArn} failed ${attempt + 1} times; dropping the event (${result.requestId})`,
      );
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(functionArn, payload, attempt + 1);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
