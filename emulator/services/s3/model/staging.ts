import { createHash, type Hash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { tempPath } from '../../../storage/atomic.ts';

/** Bytes written to a temp file in the bucket's folder, not yet visible as an object. */
export interface StagedFile {
  tempFile: string;
  /** Bytes received (also past `maxBytes`, which are counted but not written). */
  size: number;
  /** True when the body was longer than `maxBytes`; the temp file is already gone. */
  overflow: boolean;
  md5: Buffer;
  sha256?: Buffer;
  sha1?: Buffer;
  crc32?: number;
}

export interface StageOptions {
  /** Stop writing (but keep counting) past this many bytes. */
  maxBytes?: number;
  sha256?: boolean;
  sha1?: boolean;
  crc32?: boolean;
}

/**
 * Streams `source` into a temp file beside the bucket's objects while hashing it, then fsyncs
 * it. Memory stays flat whatever the size: one chunk at a time, with backpressure.
 */
export async function stageStream(
  dir: string,
  source: Readable,
  options: StageOptions = {},
): Promise<StagedFile> {
  const tempFile = tempPath(`${dir}/x`);
  const md5 = createHash('md5');
  const sha256: Hash | undefined = options.sha256 ? createHash('sha256') : undefined;
  const sha1: Hash | undefined = options.sha1 ? createHash('sha1') : undefined;
  let crc: number | undefined = options.crc32 ? 0 : undefined;
  let size = 0;
  let overflow = false;
  const max = options.maxBytes ?? Infinity;

  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (overflow || size > max) {
        overflow = true;
        callback();
        return;
      }
      md5.update(chunk);
      sha256?.update(chunk);
      sha1?.update(chunk);
      if (crc !== undefined) crc = crc32(chunk, crc);
      callback(null, chunk);
    },
  });

  const handle = await open(tempFile, 'w');
  try {
    await pipeline(source, hasher, async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) await handle.write(chunk);
    });
    if (!overflow) await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tempFile, { force: true });
    throw err;
  }
  await handle.close();
  if (overflow) await rm(tempFile, { force: true });
  return {
    tempFile,
    size,
    overflow,
    md5: md5.digest(),
    ...(sha256 ? { sha256: sha256.digest() } : {}),
    ...(sha1 ? { sha1: sha1.digest() } : {}),
    ...(crc !== undefined ? { crc32: crc } : {}),
  };
}

export const discardStaged = (staged: StagedFile): Promise<void> => rm(staged.tempFile, { force: true });
