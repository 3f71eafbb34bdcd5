import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AppendLog } from '../../../storage/append-log.ts';
import { folderSyncs } from '../../../storage/group-sync.ts';
import { HEADER_BYTES } from '../../../storage/log-format.ts';
import type { KeyIndex } from './key-index.ts';
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
import type { Acl, BucketRecord, ObjectMeta, Tag } from './types.ts';
import {
  newVersionId,
  NULL_VERSION,
  reserveSeq,
  seqOfVersionId,
  VersionTable,
  type VersionEntry,
} from './version-table.ts';
import { KeyQueue, readBytes, rewrittenRecord } from './version-writes.ts';

/** Prefix of a deleted bucket's folder while it is being removed (cleared at the next start). */
const DROPPED = '.dropped-';

/** One bucket's objects: the journal, and in memory every version of every key and its record. */
interface BucketObjects {
  dir: string;
  log: AppendLog;
  table: VersionTable;
  compacting?: Promise<void> | undefined;
}

/** The bucket's versioning state, as the bucket record says (absent: never versioned). */
export type VersioningOf = (bucket: string) => BucketRecord['versioning'];

/** What a DeleteObject without a version id did. */
export interface DeleteOutcome {
  /** The delete marker it created (versioned or suspended bucket). */
  marker?: VersionEntry;
  /** The version it removed or replaced, if any. */
  removed?: VersionEntry;
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

  private readonly keyQueue = new KeyQueue();

  private constructor(
    private readonly root: string,
    private readonly versioningOf: VersioningOf,
  ) {}

  /** Loads every bucket's journal and removes what a crash left behind (temp and orphan files). */
  static async open(root: string, versioningOf: VersioningOf = () => undefined): Promise<ObjectStore> {
    const store = new ObjectStore(root, versioningOf);
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
    const table = new VersionTable();
    const log = await AppendLog.open(dir, (payload, span, file) => {
      const decoded = decodeRecord(payload);
      const record = decoded?.record;
      // A put whose data file is gone cannot be served: keep what the key was before it.
      if (!decoded || !record || (record.op === 'put' && record.dataFile && !present.has(record.dataFile)))
        return void (table.garbage += span.length);
      const meta =
        record.op === 'put'
          ? metaOf(
              record,
              record.dataFile ?? file,
              record.dataFile ? 0 : span.offset + HEADER_BYTES + decoded.dataStart,
            )
          : undefined;
      table.apply(record, meta, span);
    });
    const objects: BucketObjects = { dir, table, log };
    await migrateMetaFiles(
      dir,
      present,
      (key) => table.versions(key).length > 0,
      (record) => this.append(objects, record),
    );
    // A data file is kept while any version, current or not, names it.
    const referenced = new Set([...table.entries()].map((v) => v.meta?.dataFile));
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

  /** Keys with any version (delete markers too): a bucket holding any is not empty. */
  count(bucket: string): number {
    return this.buckets.get(bucket)?.table.keys.size ?? 0;
  }

  /** Keys whose current version is an object. */
  index(bucket: string): KeyIndex {
    return (this.buckets.get(bucket)?.table ?? EMPTY).current;
  }

  head(bucket: string, key: string): ObjectMeta | undefined {
    return this.buckets.get(bucket)?.table.head(key);
  }

  /** Every version of the bucket's keys (ListObjectVersions): the key index and each key's versions. */
  versionTable(bucket: string): VersionTable {
    return this.buckets.get(bucket)?.table ?? EMPTY;
  }

  /** One version of `key` (the latest when `versionId` is undefined), delete markers included. */
  version(bucket: string, key: string, versionId?: string): VersionEntry | undefined {
    const table = this.buckets.get(bucket)?.table;
    return versionId === undefined ? table?.latest(key) : table?.find(key, versionId);
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

  /**
   * Makes a staged body the object `key`; resolves once bytes and record are durable. On a
   * versioned bucket it becomes a new version (`versionId`, or a fresh id, when Enabled; the
   * `null` version, replacing the key's previous one, when Suspended).
   */
  async commit(
    bucket: string,
    key: string,
    staged: StagedFile,
    attributes: Omit<
      ObjectMeta,
      'key' | 'size' | 'etag' | 'dataFile' | 'dataOffset' | 'lastModified' | 'versionId'
    >,
    chosenVersionId?: string,
  ): Promise<ObjectMeta> {
    const objects = await this.ready(bucket);
    let dataFile: string | undefined;
    if (staged.tempFile) {
      dataFile = dataName(key);
      await rename(staged.tempFile, join(objects.dir, dataFile));
      await this.syncFolder(objects.dir);
    }
    try {
      return await this.serial(bucket, key, async () => {
        const { versionId, seq } = this.newVersion(bucket, chosenVersionId);
        const record: StoredRecord = {
          op: 'put',
          key,
          size: staged.size,
          etag: staged.md5.toString('hex'),
          lastModified: new Date().toISOString(),
          ...attributes,
          ...(versionId ? { versionId } : {}),
          seq,
          ...(dataFile ? { dataFile } : {}),
        };
        return (await this.append(objects, record, staged.inline)).meta!;
      });
    } catch (err) {
      if (dataFile) await rm(join(objects.dir, dataFile), { force: true });
      throw err;
    }
  }

  /**
   * DeleteObject without a version id: on a never-versioned bucket removes the object; on a
   * versioned one puts a delete marker on top (Enabled: a new id; Suspended: the `null` version,
   * replacing any `null` version the key had).
   */
  async delete(bucket: string, key: string): Promise<DeleteOutcome> {
    const objects = await this.ready(bucket);
    return this.serial(bucket, key, async () => {
      const versioning = this.versioningOf(bucket);
      if (!versioning) {
        if (!objects.table.find(key, NULL_VERSION)) return {};
        const { replaced } = await this.append(objects, { op: 'delete', key });
        return replaced ? { removed: replaced } : {};
      }
      const seq = reserveSeq();
      const versionId = versioning === 'Enabled' ? newVersionId(seq) : undefined;
      const { replaced } = await this.append(objects, {
        op: 'marker',
        key,
        ...(versionId ? { versionId } : {}),
        seq,
        lastModified: new Date().toISOString(),
      });
      return {
        marker: objects.table.find(key, versionId ?? NULL_VERSION)!,
        ...(replaced ? { removed: replaced } : {}),
      };
    });
  }

  /** Removes one version (or delete marker) for good; the removed version, if it existed. */
  async deleteVersion(bucket: string, key: string, versionId: string): Promise<VersionEntry | undefined> {
    const objects = await this.ready(bucket);
    return this.serial(bucket, key, async () => {
      if (!objects.table.find(key, versionId)) return undefined;
      const record: StoredRecord = {
        op: 'delete',
        key,
        ...(versionId === NULL_VERSION ? {} : { versionId }),
      };
      return (await this.append(objects, record)).replaced;
    });
  }

  /**
   * Replaces the tags of one version (the latest when `versionId` is undefined) by writing the
   * version's record again with the new tags, at its place among the key's versions. Resolves
   * with the version as it was found: undefined if none, a delete marker unchanged.
   */
  async putTags(
    bucket: string,
    key: string,
    versionId: string | undefined,
    tags: Tag[],
  ): Promise<VersionEntry | undefined> {
    return this.rewrite(bucket, key, versionId, { tags });
  }

  /**
   * Replaces the ACL of `key`'s latest version (PutObjectAcl) the way `putTags` replaces tags.
   * Undefined if the key has no current object.
   */
  async setAcl(bucket: string, key: string, acl: Acl | undefined): Promise<ObjectMeta | undefined> {
    return (await this.rewrite(bucket, key, undefined, { acl }))?.meta;
  }

  /** Writes one version's record again with some attributes changed, at its place among the key's versions. */
  private async rewrite(
    bucket: string,
    key: string,
    versionId: string | undefined,
    patch: { tags?: Tag[]; acl?: Acl | undefined },
  ): Promise<VersionEntry | undefined> {
    const objects = await this.ready(bucket);
    return this.serial(bucket, key, async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const entry =
          versionId === undefined ? objects.table.latest(key) : objects.table.find(key, versionId);
        if (!entry?.meta) return entry;
        const { record, inlineAt } = rewrittenRecord({ ...entry, meta: entry.meta }, patch);
        const inline = inlineAt ? await readBytes(objects.dir, inlineAt) : undefined;
        // The journal was compacted into a new file meanwhile: look the version up again.
        if (inline === null) continue;
        await this.append(objects, record, inline);
        return objects.table.find(key, entry.versionId);
      }
      throw new Error(`the journal of ${bucket} kept moving under an update of ${key}`);
    });
  }

  /**
   * Makes an already written and synced file in the bucket's folder (`TempWriter` on `dir(bucket)`)
   * the object `key`, as one record naming one data file (CompleteMultipartUpload assembles its
   * parts into it), a new version as `commit` makes one; resolves once durable.
   */
  async commitDataFile(
    bucket: string,
    key: string,
    tempFile: string,
    attributes: Omit<ObjectMeta, 'key' | 'dataFile' | 'dataOffset' | 'lastModified' | 'versionId'>,
    chosenVersionId?: string,
  ): Promise<ObjectMeta> {
    const objects = await this.ready(bucket);
    const dataFile = dataName(key);
    await rename(tempFile, join(objects.dir, dataFile));
    await this.syncFolder(objects.dir);
    try {
      return await this.serial(bucket, key, async () => {
        const { versionId, seq } = this.newVersion(bucket, chosenVersionId);
        const record: StoredRecord = {
          op: 'put',
          key,
          lastModified: new Date().toISOString(),
          ...attributes,
          ...(versionId ? { versionId } : {}),
          seq,
          dataFile,
        };
        return (await this.append(objects, record)).meta!;
      });
    } catch (err) {
      await rm(join(objects.dir, dataFile), { force: true });
      throw err;
    }
  }

  /**
   * Opens the bytes of `key` (its current version, or `versionId`). An open handle keeps reading
   * the version it opened even if a newer write replaces it (and removes its file) meanwhile.
   */
  async openData(bucket: string, key: string, versionId?: string): Promise<OpenedObject | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const meta =
        versionId === undefined ? this.head(bucket, key) : this.version(bucket, key, versionId)?.meta;
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

  /**
   * The version a write makes: on an Enabled bucket a new one on top (`chosen`, the id its event
   * announced, or a fresh id); otherwise the `null` version, which the write replaces.
   */
  private newVersion(bucket: string, chosen?: string): { versionId: string | undefined; seq: number } {
    const versionId = this.versioningOf(bucket) === 'Enabled' ? (chosen ?? newVersionId()) : undefined;
    return { versionId, seq: (versionId ? seqOfVersionId(versionId) : undefined) ?? reserveSeq() };
  }

  /** Appends a record; once durable, applies it in memory (in journal order). */
  private async append(
    objects: BucketObjects,
    record: StoredRecord,
    inline?: Buffer,
  ): Promise<{ meta: ObjectMeta | undefined; replaced: VersionEntry | undefined }> {
    const parts = encodeRecord(record, inline);
    let meta: ObjectMeta | undefined;
    let replaced: VersionEntry | undefined;
    await objects.log.append(parts, (span, file) => {
      meta =
        record.op === 'put'
          ? metaOf(
              record,
              record.dataFile ?? file,
              record.dataFile ? 0 : span.offset + HEADER_BYTES + inlineStart(parts),
            )
          : undefined;
      replaced = objects.table.apply(record, meta, span);
      meta = meta && objects.table.find(record.key, record.versionId ?? NULL_VERSION)?.meta;
    });
    const gone = replaced?.meta?.dataFile;
    if (gone && isDataFile(gone) && gone !== meta?.dataFile)
      // Off the answer's path: unlinking a 1 GiB file takes a third of a second. A crash before it
      // leaves an orphan that the next start removes.
      void this.track(rm(join(objects.dir, gone), { force: true }));
    if (needsCompaction(objects) && !objects.compacting)
      objects.compacting = this.compact(objects).finally(() => (objects.compacting = undefined));
    return { meta, replaced };
  }

  private track(task: Promise<void>): Promise<void> {
    const tracked = task.catch(() => undefined).finally(() => this.cleanups.delete(tracked));
    this.cleanups.add(tracked);
    return tracked;
  }

  /** Runs `task` after every earlier mutation of the same key has finished. */
  private serial<T>(bucket: string, key: string, task: () => Promise<T>): Promise<T> {
    return this.keyQueue.run(`${bucket}\0${key}`, task);
  }

  /**
   * Rewrites the journal with only the records of live versions (current or not, delete
   * markers included); inline metas move with their bytes.
   */
  private compact(objects: BucketObjects): Promise<void> {
    return objects.log.compact(
      () => [...objects.table.entries()].map((v) => v.span),
      (moved, file) => objects.table.moved(moved, file),
    );
  }
}

const EMPTY = new VersionTable();

const needsCompaction = ({ table, log }: BucketObjects) =>
  table.garbage > COMPACT_AFTER && table.garbage > log.size - table.garbage;
