import { readFile } from 'node:fs/promises';
import { cloudWatchEvents, splitConsoleLines, type LogChunk } from './log-events.ts';

/** X-Amz-Log-Result carries the last 4 KB of the invocation's log. */
const TAIL_BYTES = 4096;

/**
 * The log of one invocation, framed as CloudWatch shows it: START, the function's output,
 * END and REPORT. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */
export class InvocationLog {
  private readonly chunks: string[] = [];
  /** What was written when, for the CloudWatch Logs events. */
  private readonly timed: LogChunk[] = [];
  private started = performance.now();

  constructor(
    readonly requestId: string,
    private readonly sink: (text: string) => void,
  ) {
    this.write(`START RequestId: ${requestId} Version: $LATEST\n`);
  }

  /** The invoke phase starts (after a cold start's init): Duration counts from here. */
  begin(): void {
    this.started = performance.now();
  }

  write(text: string): void {
    if (!text) return;
    this.chunks.push(text);
    this.timed.push({ at: Date.now(), text });
    this.sink(text);
  }

  /** Adds END and REPORT (Duration, Billed Duration, Memory Size, Max Memory Used, Init Duration). */
  async finish(input: {
    memorySize: number;
    pid?: number | undefined;
    initMs?: number | undefined;
    status?: 'timeout' | 'error' | undefined;
  }): Promise<void> {
    const ms = performance.now() - this.started;
    const used = (await peakMemoryMb(input.pid)) ?? 0;
    this.write(`END RequestId: ${this.requestId}\n`);
    this.write(
      `REPORT RequestId: ${this.requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\t` +
        `Memory Size: ${input.memorySize} MB\tMax Memory Used: ${used} MB\t` +
        (input.initMs !== undefined ? `Init Duration: ${input.initMs.toFixed(2)} ms\t` : '') +
        (input.status ? `Status: ${input.status}\t` : '') +
        '\n',
    );
  }

  /** The log as CloudWatch Logs events (one per line; a Node console call is one event), after `init` output. */
  events(init?: LogChunk): Array<{ timestamp: number; message: string }> {
    return cloudWatchEvents(init ? [...splitConsoleLines(init), ...this.timed] : this.timed);
  }

  /** The log's last 4 KB, base64, for `X-Amz-Log-Result`. */
  tail(): string {
    const all = Buffer.from(this.chunks.join(''), 'utf8');
    return all.subarray(Math.max(0, all.length - TAIL_BYTES)).toString('base64');
  }
}

/** The process's peak resident memory (Linux `VmHWM`), in MB. */
async function peakMemoryMb(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.ceil(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
