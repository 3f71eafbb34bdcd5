import type { Readable } from 'node:stream';

const prematureClose = () =>
  Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });

/** Chunks read ahead before the stream is paused. */
const READ_AHEAD = 4;

/**
 * Reads a stream chunk by chunk, as `for await` does but without its per-stream machinery (an
 * async iterator costs more than a whole 1 KiB upload's staging): `next()` hands over a chunk
 * already received synchronously, and only waits when none is. `null` at the end; the stream's
 * error (or a close before its end) is thrown.
 */
export class ChunkReader {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable) {
    // A stream that failed or ended before anyone read it emits nothing more.
    if (stream.errored) this.failure = stream.errored;
    else if (stream.readableEnded) this.ended = true;
    else if (stream.destroyed) this.failure = prematureClose();
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      if (this.chunks.length >= READ_AHEAD) stream.pause();
      this.notify();
    });
    stream.once('end', () => {
      this.ended = true;
      this.notify();
    });
    stream.once('error', (err: unknown) => {
      this.failure ??= err;
      this.notify();
    });
    stream.once('close', () => {
      if (!this.ended)
        this.failure ??= Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      this.notify();
    });
  }

  /** The next chunk, `null` at the end; a promise only when nothing has arrived yet. */
  next(): Buffer | null | Promise<Buffer | null> {
    const chunk = this.chunks.shift();
    if (chunk) {
      if (this.chunks.length === 0 && this.stream.isPaused()) this.stream.resume();
      return chunk;
    }
    if (this.failure !== undefined) throw this.failure;
    if (this.ended) return null;
    if (this.stream.isPaused()) this.stream.resume();
    return new Promise<void>((resolve) => (this.wake = resolve)).then(() => this.next());
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
