import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { LocalDigest, wholeDigests, type BodyDigest } from '../../../storage/body-digest.ts';
import { ChunkReader } from '../../../storage/chunk-reader.ts';
import { OffThreadDigest } from '../../../storage/off-thread-digest.ts';
import { TempWriter } from '../../../storage/temp-writer.ts';

/** Bodies up to this size stay in memory and are stored inside the bucket's journal. */
export const INLINE_MAX = 1024 * 1024;
/** At most this much of all bodies being received is held in memory; past it they go to files. */
const INLINE_BUDGET = 32 * 1024 * 1024;
let inlineHeld = 0;
/** Bodies announced at least this large are hashed on a worker thread. */
export const OFF_THREAD_MIN = 8 * 1024 * 1024;

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
  /** CRC-64/NVME, 8 bytes big-endian. */
  crc64nvme?: Buffer;
}

export interface StageOptions {
  /** Stop keeping (but keep counting) past this many bytes. */
  maxBytes?: number;
  sha256?: boolean;
  sha1?: boolean;
  crc32?: boolean;
  crc64nvme?: boolean;
  /** The size the request announced (Content-Length), when known: large bodies hash off-thread. */
  expectedBytes?: number;
}

/**
 * Receives `source`: a small body into memory (hashed whole at the end), a larger one into a temp
 * file beside the bucket's objects (written in batches, flushed in the background as it arrives,
 * synced before this resolves), each chunk going to the disk first and hashed while the write
 * runs — on a worker thread for a body announced as large, so that parsing, writing and hashing
 * use two cores. Memory stays flat whatever the size: the writer and the hasher pause the source
 * when they lag.
 */
export async function stageStream(
  dir: string,
  source: Readable,
  options: StageOptions = {},
): Promise<StagedFile> {
  const large = options.expectedBytes !== undefined && options.expectedBytes >= OFF_THREAD_MIN;
  // Streaming digests start when the body goes to a file; a body held in memory is hashed whole.
  let digest: BodyDigest | undefined;
  const max = options.maxBytes ?? Infinity;
  let size = 0;
  let overflow = false;
  const held: Buffer[] = [];
  let heldBytes = 0;
  let file: TempWriter | undefined;
  try {
    const reader = new ChunkReader(source);
    for (;;) {
      let next = reader.next();
      if (next instanceof Promise) next = await next;
      if (next === null) break;
      const chunk = next;
      size += chunk.length;
      if (overflow || size > max) {
        overflow = true;
        continue;
      }
      let wait: Promise<void> | undefined;
      if (file) wait = file.write(chunk);
      else if (size <= INLINE_MAX && inlineHeld + chunk.length <= INLINE_BUDGET) {
        held.push(chunk);
        heldBytes += chunk.length;
        inlineHeld += chunk.length;
      } else {
        inlineHeld -= heldBytes;
        heldBytes = 0;
        file = await TempWriter.create(dir);
        digest = large ? new OffThreadDigest(options) : new LocalDigest(options);
        for (const early of held.splice(0)) {
          file.write(early);
          const hashing = digest.update(early);
          if (hashing) await hashing;
        }
        wait = file.write(chunk);
      }
      if (digest) {
        // The write is under way (on libuv's pool) while this thread or the worker hashes.
        const hashing = digest.update(chunk);
        if (hashing) await hashing;
      }
      if (wait) await wait;
    }
    const inline = file ? undefined : Buffer.concat(held);
    const digesting = digest ? digest.digest() : Promise.resolve(wholeDigests(inline!, options));
    digesting.catch(() => undefined);
    if (file && !overflow) await file.finish();
    else await file?.abort();
    return {
      ...(overflow ? {} : file ? { tempFile: file.path } : { inline: inline! }),
      size,
      overflow,
      ...(await digesting),
    };
  } catch (err) {
    digest?.abandon();
    await file?.abort();
    throw err;
  } finally {
    inlineHeld -= heldBytes;
  }
}

/** Forgets a staged body that will not become an object. */
export const discardStaged = async (staged: StagedFile): Promise<void> => {
  if (staged.tempFile) await rm(staged.tempFile, { force: true });
};
