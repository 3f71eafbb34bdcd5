import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AppendLog, type RecordSpan } from '../../../storage/append-log.ts';
import { folderSyncs } from '../../../storage/group-sync.ts';
import { HEADER_BYTES } from '../../../storage/log-format.ts';
import { KeyIndex } from './key-index.ts';
import { migrateMetaFiles } from './legacy-metas.ts';
import {
  decodeRecord,
  encodeRecord,
  inlineStart,
  isDataFile,
  metaOf,
  type StoredRecord,
} from './object-records.ts';
import { discardStaged, stageStream, type StagedFile, type StageOptions } from './staging.ts';
import type { Acl, ObjectMeta } from './types.ts';

/** Prefix of a deleted bucket's folder while it is being removed (cleared at the next start). */
const DROPPED = '.dropped-';

/** One bucket's objects: the journal, and in memory every live key's meta and record. */
interface BucketObjects {
  dir: string;
  log: AppendLog;
  index: KeyIndex;
  metas: Map<string, ObjectMeta>;
  spans: Map<string, RecordSpan>;
  /** Journal bytes no live key needs (replaced or deleted records, tombstones). */
  garbage: number;
  compacting?: Promise<void> | undefined;
}

/** An object opened for reading: its bytes are `meta.size` bytes of `handle` from `offset`. */
export interface OpenedObject {
  meta: ObjectMeta;
  handle: FileHandle;
  offset: number;
}

/** Rewrite a journal once this much of it is dead and the dead part outweighs the live. */
const COMPACT_AFTER = 16 * 1024 * 1024;

const dataName = (key: string) =>
  `${createHash('sha256').update(key).digest('hex').slice(0, 16)}-${randomBytes(8).toString('hex')}.data`;

/**
 * Objects on disk, one folder per bucket. A journal (`journal.<n>.log`, see `AppendLog`) holds one
 * record per put or delete, in commit order; a small object's bytes sit inside its record, a
 * larger one's in its own `.data` file that the record names. A commit is durable before it is
 * visible: bytes synced, then (large) the data file renamed in and the folder synced, then the
 * record appended with group commit — so concurrent uploads share their fsyncs, a crash leaves
 * no partial object, and the last record for a key wins, in memory as on replay.
 */
export class ObjectStore {
  private readonly buckets = new Map<string, BucketObjects>();
  private readonly opening = new Map<string, Promise<BucketObjects>>();
  private readonly syncFolder = folderSyncs();
  /** Superseded data files being removed in the background (awaited by `close`). */
  private readonly cleanups = new Set<Promise<void>>();

  private constructor(private readonly root: string) {}

  /** Loads every bucket's journal and removes what a crash left behind (temp and orphan files). */
  static async open(root: string): Promise<ObjectStore> {
    const store = new ObjectStore(root);
    await mkdir(root, { recursive: true });
    for (const name of await readdir(root))
      if (name.startsWith(DROPPED)) await rm(join(root, name), { recursive: true, force: true });
      else await store.ready(name);
    return store;
  }

  /** The bucket's state, loaded (or created empty) once. */
  private ready(bucket: string): Promise<BucketObjects> {
    const loaded = this.buckets.get(bucket);
    if (loaded) return Promise.resolve(loaded);
    let opening = this.opening.get(bucket);
    if (!opening) {
      opening = this.load(bucket).finally(() => this.opening.delete(bucket));
      this.opening.set(bucket, opening);
    }
    return opening;
  }

  private async load(bucket: string): Promise<BucketObjects> {
    const dir = join(this.root, bucket);
    await mkdir(dir, { recursive: true });
    const present = new Set(await readdir(dir));
    const b: Omit<BucketObjects, 'log'> = {
      dir,
      index: new KeyIndex(),
      metas: new Map(),
      spans: new Map(),
      garbage: 0,
    };
    const log = await AppendLog.open(dir, (payload, span, file) => {
      const decoded = decodeRecord(payload);
      const record = decoded?.record;
      // A put whose data file is gone cannot be served: keep what the key was before it.
      if (!decoded || !record || (record.op === 'put' && record.dataFile && !present.has(record.dataFile)))
        return void (b.garbage += span.length);
      const meta =
        record.op === 'put'
          ? metaOf(
              record,
              record.dataFile ?? file,
              record.dataFile ? 0 : span.offset + HEADER_BYTES + decoded.dataStart,
            )
          : undefined;
      apply(b, record.key, meta, span);
    });
    const objects: BucketObjects = { ...b, log };
    await migrateMetaFiles(
      dir,
      present,
      (key) => objects.metas.has(key),
      (record) => this.append(objects, record),
    );
    const referenced = new Set([...objects.metas.values()].map((m) => m.dataFile));
    for (const name of present)
      if (name.startsWith('.tmp-') || (isDataFile(name) && !referenced.has(name)))
        await rm(join(dir, name), { force: true });
    this.buckets.set(bucket, objects);
    if (needsCompaction(objects)) await this.compact(objects);
    return objects;
  }

  dir(bucket: string): string {
    return join(this.root, bucket);
  }

  async createBucket(bucket: string): Promise<void> {
    await this.ready(bucket);
  }

  async dropBucket(bucket: string): Promise<void> {
    await this.opening.get(bucket)?.catch(() => undefined);
    const objects = this.buckets.get(bucket);
    this.buckets.delete(bucket);
    await objects?.log.close();
    // Moved aside first, so that a request still finishing in the folder (a temp file being
    // written) cannot make the removal fail with ENOTEMPTY (seen once under the wire fuzzer).
    const trash = join(this.root, `${DROPPED}${randomBytes(6).toString('hex')}`);
    try {
      await rename(this.dir(bucket), trash);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await rm(trash, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }

  count(bucket: string): number {
    return this.buckets.get(bucket)?.index.size ?? 0;
  }

  index(bucket: string): KeyIndex {
    return this.buckets.get(bucket)?.index ?? new KeyIndex();
  }

  head(bucket: string, key: string): ObjectMeta | undefined {
    return this.buckets.get(bucket)?.metas.get(key);
  }

  /** Receives a request body for the bucket (not visible until `commit`). */
  async stage(bucket: string, source: Readable, options?: StageOptions): Promise<StagedFile> {
    // Listen before the first await: a body that fails early (bad aws-chunked framing, a client
    // that hangs up) must not emit an unhandled 'error'. The pipeline still sees the error.
    source.on('error', () => undefined);
    const objects = await this.ready(bucket);
    return stageStream(objects.dir, source, options);
  }

  discard(staged: StagedFile): Promise<void> {
    return discardStaged(staged);
  }

  /** Makes a staged body the object `key`; resolves once bytes and record are durable. */
  async commit(
    bucket: string,
    key: string,
    staged: StagedFile,
    attributes: Omit<ObjectMeta, 'key' | 'size' | 'etag' | 'dataFile' | 'dataOffset' | 'lastModified'>,
  ): Promise<ObjectMeta> {
    const objects = await this.ready(bucket);
    let dataFile: string | undefined;
    if (staged.tempFile) {
      dataFile = dataName(key);
      await rename(staged.tempFile, join(objects.dir, dataFile));
      await this.syncFolder(objects.dir);
    }
    const record: StoredRecord = {
      op: 'put',
      key,
      size: staged.size,
      etag: staged.md5.toString('hex'),
      lastModified: new Date().toISOString(),
      ...attributes,
      ...(dataFile ? { dataFile } : {}),
    };
    try {
      return (await this.append(objects, record, staged.inline)).meta!;
    } catch (err) {
      if (dataFile) await rm(join(objects.dir, dataFile), { force: true });
      throw err;
    }
  }

  /**
   * Replaces the ACL of `key` (PutObjectAcl) with a new put record of the same object: a data
   * file is named again (and kept); inline bytes are copied into the new record. Undefined if
   * the key is gone.
   */
  async setAcl(bucket: string, key: string, acl: Acl | undefined): Promise<ObjectMeta | undefined> {
    const objects = this.buckets.get(bucket);
    const meta = objects?.metas.get(key);
    if (!objects || !meta) return undefined;
    const { dataFile, dataOffset, acl: _old, ...rest } = meta;
    const ownFile = isDataFile(dataFile);
    let inline: Buffer | undefined;
    if (!ownFile && meta.size > 0) {
      const handle = await open(join(objects.dir, dataFile), 'r');
      try {
        inline = Buffer.alloc(meta.size);
        await handle.read(inline, 0, meta.size, dataOffset);
      } finally {
        await handle.close();
      }
    }
    const record: StoredRecord = {
      op: 'put',
      ...rest,
      ...(acl ? { acl } : {}),
      ...(ownFile ? { dataFile } : {}),
    };
    return (await this.append(objects, record, inline)).meta;
  }

  /**
   * Makes an already written and synced file in the bucket's folder (`TempWriter` on `dir(bucket)`)
   * the object `key`, as one record naming one data file (CompleteMultipartUpload assembles its
   * parts into it); resolves once durable.
   */
  async commitDataFile(
    bucket: string,
    key: string,
    tempFile: string,
    attributes: Omit<ObjectMeta, 'key' | 'dataFile' | 'dataOffset' | 'lastModified'>,
  ): Promise<ObjectMeta> {
    const objects = await this.ready(bucket);
    const dataFile = dataName(key);
    await rename(tempFile, join(objects.dir, dataFile));
    await this.syncFolder(objects.dir);
    const record: StoredRecord = {
      op: 'put',
      key,
      lastModified: new Date().toISOString(),
      ...attributes,
      dataFile,
    };
    try {
      return (await this.append(objects, record)).meta!;
    } catch (err) {
      await rm(join(objects.dir, dataFile), { force: true });
      throw err;
    }
  }

  /** Removes `key`; true if it existed. */
  async delete(bucket: string, key: string): Promise<boolean> {
    const objects = this.buckets.get(bucket);
    if (!objects?.metas.has(key)) return false;
    await this.append(objects, { op: 'delete', key });
    return true;
  }

  /**
   * Opens the current bytes of `key`. An open handle keeps reading the version it opened even
   * if a newer write replaces it (and removes its file) meanwhile.
   */
  async openData(bucket: string, key: string): Promise<OpenedObject | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const meta = this.head(bucket, key);
      if (!meta) return undefined;
      try {
        return {
          meta,
          handle: await open(join(this.dir(bucket), meta.dataFile), 'r'),
          offset: meta.dataOffset,
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return undefined;
  }

  async clear(): Promise<void> {
    await this.close();
    this.buckets.clear();
    await rm(this.root, { recursive: true, force: true });
    await mkdir(this.root, { recursive: true });
  }

  /** Waits for pending writes and closes every journal. */
  async close(): Promise<void> {
    await Promise.all([...this.buckets.values()].map((b) => b.compacting));
    await Promise.all([...this.buckets.values()].map((b) => b.log.close()));
    await Promise.all(this.cleanups);
  }

  /** Appends a record; once durable, applies it in memory (in journal order). */
  private async append(
    objects: BucketObjects,
    record: StoredRecord,
    inline?: Buffer,
  ): Promise<{ meta: ObjectMeta | undefined; replaced: ObjectMeta | undefined }> {
    const parts = encodeRecord(record, inline);
    let meta: ObjectMeta | undefined;
    let replaced: ObjectMeta | undefined;
    await objects.log.append(parts, (span, file) => {
      meta =
        record.op === 'put'
          ? metaOf(
              record,
              record.dataFile ?? file,
              record.dataFile ? 0 : span.offset + HEADER_BYTES + inlineStart(parts),
            )
          : undefined;
      replaced = apply(objects, record.key, meta, span);
    });
    if (replaced && isDataFile(replaced.dataFile) && replaced.dataFile !== meta?.dataFile)
      // Off the answer's path: unlinking a 1 GiB file takes a third of a second. A crash before it
      // leaves an orphan that the next start removes.
      void this.track(rm(join(objects.dir, replaced.dataFile), { force: true }));
    if (needsCompaction(objects) && !objects.compacting)
      objects.compacting = this.compact(objects).finally(() => (objects.compacting = undefined));
    return { meta, replaced };
  }

  private track(task: Promise<void>): Promise<void> {
    const tracked = task.catch(() => undefined).finally(() => this.cleanups.delete(tracked));
    this.cleanups.add(tracked);
    return tracked;
  }

  /** Rewrites the journal with only the live records; inline metas move with their bytes. */
  private compact(objects: BucketObjects): Promise<void> {
    return objects.log.compact(
      () => [...objects.spans.values()],
      (moved, file) => {
        for (const [key, span] of objects.spans) {
          const offset = moved.get(span.offset)!;
          objects.spans.set(key, { offset, length: span.length });
          const meta = objects.metas.get(key)!;
          if (!isDataFile(meta.dataFile))
            objects.metas.set(key, {
              ...meta,
              dataFile: file,
              dataOffset: meta.dataOffset - span.offset + offset,
            });
        }
        objects.garbage = 0;
      },
    );
  }
}

/** Applies one durable record in memory; returns the meta it replaced. */
function apply(
  objects: Omit<BucketObjects, 'log'>,
  key: string,
  meta: ObjectMeta | undefined,
  span: RecordSpan,
): ObjectMeta | undefined {
  const previous = objects.metas.get(key);
  const previousSpan = objects.spans.get(key);
  if (previousSpan) objects.garbage += previousSpan.length;
  if (meta) {
    objects.metas.set(key, meta);
    objects.spans.set(key, span);
    objects.index.add(key);
  } else {
    // A tombstone is dead as soon as it is applied: nothing before it survives a compaction.
    objects.garbage += span.length;
    objects.metas.delete(key);
    objects.spans.delete(key);
    objects.index.remove(key);
  }
  return previous;
}

const needsCompaction = (objects: BucketObjects) =>
  objects.garbage > COMPACT_AFTER && objects.garbage > objects.log.size - objects.garbage;
