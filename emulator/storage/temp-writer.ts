import { open, rm, type FileHandle } from 'node:fs/promises';
import { tempPath } from './atomic.ts';

/** Chunks waiting for the disk beyond this make `write` ask the caller to wait. */
const HIGH_WATER = 2 * 1024 * 1024;
/** Start an `fdatasync` in the background each time this much more was written. */
const SYNC_EVERY = 16 * 1024 * 1024;

/**
 * A temp file that a stream is written into: chunks queue while a write is in flight and go
 * out together in one `writev`, so the caller never waits for the disk chunk by chunk; every
 * 16 MiB an `fdatasync` starts in the background, so the disk flushes while the body is still
 * arriving and `finish` only has to flush the tail.
 */
export class TempWriter {
  private queue: Buffer[] = [];
  private queued = 0;
  private inFlight = 0;
  private position = 0;
  private writing: Promise<void> | undefined;
  private waiters: Array<() => void> = [];
  /** Bytes a started (or finished) fdatasync covers. */
  private syncStarted = 0;
  private syncing: Promise<void> | undefined;
  private failure: unknown;
  private syncs = 0;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** A new temp file beside the objects of `dir` (so that the final rename stays in one folder). */
  static async create(dir: string): Promise<TempWriter> {
    const path = tempPath(`${dir}/x`);
    return new TempWriter(path, await open(path, 'w'));
  }

  /** fdatasyncs started while the body was still arriving. */
  get backgroundSyncs(): number {
    return this.syncs;
  }

  /** Queues `chunk`; returns a promise to wait for when too much is queued, else undefined. */
  write(chunk: Buffer): Promise<void> | undefined {
    if (this.failure !== undefined) throw this.failure;
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.writing ??= this.drain();
    if (this.queued + this.inFlight < HIGH_WATER) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes what is queued, waits for the syncs, flushes the tail, and closes the file. */
  async finish(): Promise<void> {
    try {
      await this.writing;
      await this.syncing;
      if (this.failure !== undefined) throw this.failure;
      if (this.position > this.syncStarted) await this.handle.datasync();
    } finally {
      await this.handle.close();
    }
  }

  /** Stops, closes and removes the file. */
  async abort(): Promise<void> {
    this.failure ??= new Error('aborted');
    await this.writing?.catch(() => undefined);
    await this.syncing?.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length && this.failure === undefined) {
        const batch = this.queue;
        this.queue = [];
        this.inFlight = this.queued;
        this.queued = 0;
        const { bytesWritten } = await this.handle.writev(batch, this.position);
        if (bytesWritten !== this.inFlight) throw new Error(`short write (${bytesWritten} bytes)`);
        this.position += bytesWritten;
        this.inFlight = 0;
        this.wake();
        if (!this.syncing && this.position - this.syncStarted >= SYNC_EVERY) this.backgroundSync();
      }
    } catch (err) {
      this.failure ??= err;
    } finally {
      this.writing = undefined;
      this.inFlight = 0;
      this.wake(true);
    }
  }

  private backgroundSync(): void {
    this.syncStarted = this.position;
    this.syncs++;
    this.syncing = this.handle.datasync().then(
      () => {
        this.syncing = undefined;
      },
      (err: unknown) => {
        this.failure ??= err;
        this.syncing = undefined;
      },
    );
  }

  private wake(all = false): void {
    if (!all && this.queued + this.inFlight >= HIGH_WATER) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
