import { constants } from 'node:fs';
import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { tempPath } from './atomic.ts';
import { fsyncDir } from './group-sync.ts';
import { HEADER_BYTES, recordHeader, type RecordSpan } from './log-format.ts';
import { readRecords } from './log-reader.ts';

export type { RecordSpan } from './log-format.ts';

const LOG_NAME = /^journal\.(\d+)\.log$/;
const logName = (generation: number) => `journal.${generation}.log`;
/** Read-write, created if missing; not O_APPEND: writes go where the last good record ends. */
const READ_WRITE = constants.O_RDWR | constants.O_CREAT;
/**
 * O_DSYNC: a write returns once its bytes are durable, as if followed by fdatasync — one syscall
 * (one trip through libuv's pool) per batch. Where the platform lacks it, an fdatasync follows.
 */
const DSYNC: number = constants.O_DSYNC ?? 0;
const DURABLE_WRITES = READ_WRITE | DSYNC;

interface Pending {
  parts: Buffer[];
  bytes: number;
  onDurable: (span: RecordSpan, file: string) => void;
  resolve: (span: RecordSpan) => void;
  reject: (err: unknown) => void;
}

/**
 * An append-only log of records in `dir` with group commit: every `append` that arrives while a
 * batch is being written waits for the next batch, and a batch is one synchronous-data `writev`
 * (O_DSYNC), however many records it holds. A record counts (its `onDurable` runs, in log
 * order, and `append` resolves) only once it is on disk. Each record carries its length and a
 * CRC, so a crash mid-batch leaves a torn tail that `open` cuts off; no acknowledged record can
 * be in it. `compact` rewrites the live records into the next generation of the file.
 */
export class AppendLog {
  private pending: Pending[] = [];
  private exclusive: Array<() => Promise<void>> = [];
  private busy = false;
  private closed = false;
  private written = 0;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle,
    private generation: number,
    private end: number,
  ) {}

  /**
   * Opens the newest generation in `dir` (creating the first one), hands every intact record to
   * `onRecord` in order, cuts off a torn tail, and removes older generations.
   */
  static async open(
    dir: string,
    onRecord: (payload: Buffer, span: RecordSpan, file: string) => void,
  ): Promise<AppendLog> {
    const generations = (await readdir(dir))
      .map((name) => LOG_NAME.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a);
    const generation = generations[0] ?? 1;
    // Older generations were superseded by a complete newer one (it got its name only once synced).
    for (const old of generations.slice(1)) await rm(join(dir, logName(old)), { force: true });
    const file = join(dir, logName(generation));
    const handle = await open(file, DURABLE_WRITES);
    try {
      if (generations.length === 0) await fsyncDir(dir);
      const end = await readRecords(handle, (payload, span) => onRecord(payload, span, logName(generation)));
      if (end < (await handle.stat()).size) {
        await handle.truncate(end);
        await handle.datasync();
      }
      return new AppendLog(dir, handle, generation, end);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** The current file's name in `dir`. */
  get file(): string {
    return logName(this.generation);
  }

  /** Batches written so far (each one durable `writev`). */
  get batches(): number {
    return this.written;
  }

  /** Bytes in the current file. */
  get size(): number {
    return this.end;
  }

  /** Appends one record (the concatenation of `parts`); resolves once it is durable. */
  append(parts: Buffer[], onDurable: (span: RecordSpan, file: string) => void): Promise<RecordSpan> {
    if (this.closed) return Promise.reject(new Error('the log is closed'));
    const bytes = parts.reduce((n, p) => n + p.length, 0);
    return new Promise((resolve, reject) => {
      this.pending.push({ parts, bytes, onDurable, resolve, reject });
      this.kick();
    });
  }

  /**
   * Rewrites the records `live()` names (asked once every earlier append is durable) into the
   * next generation, and switches to it before any later append. Resolves with each kept record's
   * new offset, by old offset; `onSwitch` gets the same map at the moment of the switch.
   */
  compact(
    live: () => RecordSpan[],
    onSwitch: (moved: Map<number, number>, file: string) => void,
  ): Promise<void> {
    return this.runExclusive(async () => {
      const spans = live().sort((a, b) => a.offset - b.offset);
      const next = this.generation + 1;
      const tmp = tempPath(join(this.dir, logName(next)));
      const moved = new Map<number, number>();
      const out = await open(tmp, 'w');
      let position = 0;
      try {
        for (const span of spans) {
          const bytes = Buffer.allocUnsafe(span.length);
          await this.handle.read(bytes, 0, span.length, span.offset);
          await out.write(bytes, 0, bytes.length, position);
          moved.set(span.offset, position);
          position += span.length;
        }
        await out.datasync();
      } catch (err) {
        await out.close();
        await rm(tmp, { force: true });
        throw err;
      }
      await out.close();
      await rename(tmp, join(this.dir, logName(next)));
      await fsyncDir(this.dir);
      const previous = this.handle;
      const previousFile = join(this.dir, this.file);
      this.handle = await open(join(this.dir, logName(next)), DURABLE_WRITES);
      this.generation = next;
      this.end = position;
      onSwitch(moved, this.file);
      await previous.close();
      // Readers that opened the old file keep reading it; the unlink needs no sync (open() drops it).
      await rm(previousFile, { force: true });
    });
  }

  /** Waits for every queued append, then closes the file. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = this.runExclusive(async () => {
      this.closed = true;
      await this.handle.close();
    });
    return done;
  }

  private runExclusive(task: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.exclusive.push(() => task().then(resolve, reject));
      this.kick();
    });
  }

  private kick(): void {
    if (this.busy) return;
    // Appends queued before an exclusive task go first, so it sees them durable.
    if (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      this.busy = true;
      void this.write(batch).finally(() => this.idle());
    } else if (this.exclusive.length) {
      const task = this.exclusive.shift()!;
      this.busy = true;
      void task().finally(() => this.idle());
    }
  }

  private idle(): void {
    this.busy = false;
    if (this.closed) {
      for (const p of this.pending.splice(0)) p.reject(new Error('the log is closed'));
      return;
    }
    this.kick();
  }

  private async write(batch: Pending[]): Promise<void> {
    if (this.closed) {
      for (const p of batch) p.reject(new Error('the log is closed'));
      return;
    }
    const buffers: Buffer[] = [];
    const spans: RecordSpan[] = [];
    let at = this.end;
    for (const p of batch) {
      buffers.push(recordHeader(p.parts, p.bytes), ...p.parts);
      spans.push({ offset: at, length: HEADER_BYTES + p.bytes });
      at += HEADER_BYTES + p.bytes;
    }
    try {
      const { bytesWritten } = await this.handle.writev(buffers, this.end);
      if (bytesWritten !== at - this.end) throw new Error(`short write to the log (${bytesWritten} bytes)`);
      if (!DSYNC) await this.handle.datasync();
    } catch (err) {
      // Nothing of this batch counts; cut it off so the next batch follows the last good record.
      await this.handle.truncate(this.end).catch(() => undefined);
      for (const p of batch) p.reject(err);
      return;
    }
    this.end = at;
    this.written++;
    const file = this.file;
    batch.forEach((p, i) => {
      try {
        p.onDurable(spans[i]!, file);
        p.resolve(spans[i]!);
      } catch (err) {
        p.reject(err);
      }
    });
  }
}
