import { createHash, type Hash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { TempWriter } from '../../../storage/temp-writer.ts';

/** Bodies up to this size stay in memory and are stored inside the bucket's journal. */
export const INLINE_MAX = 256 * 1024;

/** A received body, not yet visible as an object. */
export interface StagedFile {
  /** The bytes, for a body of at most `INLINE_MAX` (stored inline in the journal). */
  inline?: Buffer;
  /** The synced temp file in the bucket's folder that holds a larger body. */
  tempFile?: string;
  /** Bytes received (also past `maxBytes`, which are counted but not kept). */
  size: number;
  /** True when the body was longer than `maxBytes`; nothing of it is kept. */
  overflow: boolean;
  md5: Buffer;
  sha256?: Buffer;
  sha1?: Buffer;
  crc32?: number;
}

export interface StageOptions {
  /** Stop keeping (but keep counting) past this many bytes. */
  maxBytes?: number;
  sha256?: boolean;
  sha1?: boolean;
  crc32?: boolean;
}

/**
 * Receives `source` while hashing it: a small body into memory, a larger one into a temp file
 * beside the bucket's objects (written in batches, flushed in the background as it arrives, synced
 * before this resolves). Each chunk goes to the disk first and is hashed while the write runs.
 * Memory stays flat whatever the size: the file writer pauses the source when the disk lags.
 */
export async function stageStream(
  dir: string,
  source: Readable,
  options: StageOptions = {},
): Promise<StagedFile> {
  const md5 = createHash('md5');
  const sha256: Hash | undefined = options.sha256 ? createHash('sha256') : undefined;
  const sha1: Hash | undefined = options.sha1 ? createHash('sha1') : undefined;
  let crc: number | undefined = options.crc32 ? 0 : undefined;
  const max = options.maxBytes ?? Infinity;
  let size = 0;
  let overflow = false;
  const held: Buffer[] = [];
  let file: TempWriter | undefined;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (overflow || size > max) {
        overflow = true;
        continue;
      }
      let wait: Promise<void> | undefined;
      if (file) wait = file.write(chunk);
      else if (size <= INLINE_MAX) held.push(chunk);
      else {
        file = await TempWriter.create(dir);
        for (const early of held.splice(0)) file.write(early);
        wait = file.write(chunk);
      }
      md5.update(chunk);
      sha256?.update(chunk);
      sha1?.update(chunk);
      if (crc !== undefined) crc = crc32(chunk, crc);
      if (wait) await wait;
    }
    if (file && !overflow) await file.finish();
  } catch (err) {
    await file?.abort();
    throw err;
  }
  if (file && overflow) await file.abort();
  return {
    ...(overflow ? {} : file ? { tempFile: file.path } : { inline: Buffer.concat(held, size) }),
    size,
    overflow,
    md5: md5.digest(),
    ...(sha256 ? { sha256: sha256.digest() } : {}),
    ...(sha1 ? { sha1: sha1.digest() } : {}),
    ...(crc !== undefined ? { crc32: crc } : {}),
  };
}

/** Forgets a staged body that will not become an object. */
export const discardStaged = async (staged: StagedFile): Promise<void> => {
  if (staged.tempFile) await rm(staged.tempFile, { force: true });
};
