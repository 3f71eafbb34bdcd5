import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChunkReader } from './chunk-reader.ts';

async function readAll(reader: ChunkReader): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    let next = reader.next();
    if (next instanceof Promise) next = await next;
    if (next === null) return out;
    out.push(next.toString());
  }
}

describe('ChunkReader', () => {
  it('hands over every chunk in order, then null', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => `chunk-${i}`);
    expect(await readAll(new ChunkReader(Readable.from(chunks.map((c) => Buffer.from(c)))))).toEqual(chunks);
  });

  it('pauses a fast source while its chunks wait, and resumes it when they are taken', async () => {
    const source = new PassThrough();
    const reader = new ChunkReader(source);
    for (let i = 0; i < 10; i++) source.write(`c${i}`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.isPaused()).toBe(true);
    source.end();
    expect(await readAll(reader)).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`));
  });

  it("throws the stream's error, and a premature close", async () => {
    const failing = new PassThrough();
    const reader = new ChunkReader(failing);
    failing.write('first');
    failing.destroy(new Error('cut off'));
    await expect(readAll(reader)).rejects.toThrow('cut off');
    const closed = new PassThrough();
    const second = new ChunkReader(closed);
    closed.destroy();
    await expect(readAll(second)).rejects.toThrow('Premature close');
  });

  it('knows a stream that failed or ended before it was attached', async () => {
    const failed = new PassThrough();
    failed.on('error', () => undefined);
    failed.destroy(new Error('early'));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(readAll(new ChunkReader(failed))).rejects.toThrow('early');
    const ended = new PassThrough();
    ended.end();
    ended.resume();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await readAll(new ChunkReader(ended))).toEqual([]);
  });
});
