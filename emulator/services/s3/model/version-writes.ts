import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { isDataFile, type StoredRecord } from './object-records.ts';
import type { Acl, Tag } from './types.ts';
import { NULL_VERSION, type VersionEntry } from './version-table.ts';

/**
 * Mutations queued per key, so that each one sees the key as the previous one left it: a tag
 * update must not be written after a delete of its version (a replay would bring it back).
 * Writes to different keys still share the journal's group commits.
 */
export class KeyQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every earlier task of the same id has finished. */
  run<T>(id: string, task: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(id) ?? Promise.resolve()).then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return run;
  }
}

/**
 * The record that gives an object version new tags or a new ACL: the version's own record again, same id
 * and `seq` (so it keeps its place), naming the same data file or — for a small body — to be
 * written with its bytes, read from `inlineAt` in the bucket's folder.
 */
export function rewrittenRecord(
  entry: VersionEntry & { meta: NonNullable<VersionEntry['meta']> },
  patch: { tags?: Tag[]; acl?: Acl | undefined },
): { record: StoredRecord; inlineAt?: { file: string; offset: number; size: number } } {
  const { dataFile, dataOffset, versionId, ...meta } = entry.meta;
  const tags = 'tags' in patch ? patch.tags : meta.tags;
  const acl = 'acl' in patch ? patch.acl : meta.acl;
  delete meta.tags;
  delete meta.acl;
  const record: StoredRecord = {
    op: 'put',
    ...meta,
    ...(tags?.length ? { tags } : {}),
    ...(acl ? { acl } : {}),
    ...(versionId && versionId !== NULL_VERSION ? { versionId } : {}),
    seq: entry.seq,
    ...(isDataFile(dataFile) ? { dataFile } : {}),
  };
  return isDataFile(dataFile)
    ? { record }
    : { record, inlineAt: { file: dataFile, offset: dataOffset, size: meta.size } };
}

/** `size` bytes of `file` at `offset`; null when the file is gone (a compaction replaced it). */
export async function readBytes(
  dir: string,
  at: { file: string; offset: number; size: number },
): Promise<Buffer | null> {
  let handle: FileHandle;
  try {
    handle = await open(join(dir, at.file), 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const bytes = Buffer.alloc(at.size);
    if (at.size) await handle.read(bytes, 0, at.size, at.offset);
    return bytes;
  } finally {
    await handle.close();
  }
}
