import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
const BLOCK = MiB;

const blocks = new Map<number, Buffer>();

/** 1 MiB of xorshift32 noise from `seed`: the same bytes on every run, and nothing to compress. */
export function seededBlock(seed = 0x1ab5eed): Buffer {
  const cached = blocks.get(seed);
  if (cached) return cached;
  const block = Buffer.alloc(BLOCK);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < BLOCK; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block.writeUInt32LE(x >>> 0, i);
  }
  blocks.set(seed, block);
  return block;
}

/** The payload's chunks: the seeded block repeated, the last one cut; no more than 1 MiB is ever held. */
export function* payloadChunks(size: number, seed?: number): Generator<Buffer> {
  const block = seededBlock(seed);
  for (let sent = 0; sent < size; sent += BLOCK) yield block.subarray(0, Math.min(BLOCK, size - sent));
}

export function payloadMd5(size: number, seed?: number): string {
  const md5 = createHash('md5');
  for (const chunk of payloadChunks(size, seed)) md5.update(chunk);
  return md5.digest('hex');
}

/** A multipart/form-data body streamed from parts: the fields, then `file` with the payload. */
export interface MultipartBody {
  contentType: string;
  length: number;
  stream(): Readable;
}

export function multipartBody(fields: Record<string, string>, size: number, seed?: number): MultipartBody {
  const boundary = `----bench${seed ?? 0}x${size.toString(36)}`;
  const head =
    Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join('') +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  const tail = `\r\n--${boundary}--\r\n`;
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(tail, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: headBytes.length + size + tailBytes.length,
    stream: () =>
      Readable.from(
        (function* () {
          yield headBytes;
          yield* payloadChunks(size, seed);
          yield tailBytes;
        })(),
        { objectMode: false },
      ),
  };
}
