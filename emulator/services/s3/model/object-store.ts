import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { readJsonFile, syncDir, writeFileAtomic } from '../../../storage/atomic.ts';
import { KeyIndex } from './key-index.ts';
import { discardStaged, stageStream, type StagedFile, type StageOptions } from './staging.ts';
import type { ObjectMeta } from './types.ts';

interface BucketObjects {
  index: KeyIndex;
  metas: Map<string, ObjectMeta>;
}

const keyId = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Objects on disk: `<root>/<bucket>/<sha256(key)>.meta.json` names the data file
 * `<sha256(key)>-<random>.data` beside it. A write streams to a temp file, fsyncs, renames it
 * to a fresh data name, then replaces the meta atomically — so readers see the old object or
 * the new one, a crash leaves no partial object, and concurrent writes to one key never tear
 * (the last meta rename wins). Keys and metas are also kept in memory for listing.
 */
export class ObjectStore {
  private readonly buckets = new Map<string, BucketObjects>();
  private readonly locks = new Map<string, Promise<unknown>>();

  private constructor(private readonly root: string) {}

  /** Loads every bucket's metas and removes what a crash left behind (temp and orphan files). */
  static async open(root: string): Promise<ObjectStore> {
    const store = new ObjectStore(root);
    await mkdir(root, { recursive: true });
    for (const bucket of await readdir(root)) await store.load(bucket);
    return store;
  }

  private async load(bucket: string): Promise<void> {
    const dir = join(this.root, bucket);
    const files = await readdir(dir).catch(() => [] as string[]);
    const present = new Set(files);
    const objects = this.objects(bucket);
    const referenced = new Set<string>();
    for (const name of files.filter((f) => f.endsWith('.meta.json'))) {
      const meta = await readJsonFile<ObjectMeta>(join(dir, name)).catch(() => undefined);
      if (!meta || !present.has(meta.dataFile)) continue;
      referenced.add(meta.dataFile);
      objects.metas.set(meta.key, meta);
      objects.index.add(meta.key);
    }
    for (const name of files)
      if (name.startsWith('.tmp-') || (name.endsWith('.data') && !referenced.has(name)))
        await rm(join(dir, name), { force: true });
  }

  private objects(bucket: string): BucketObjects {
    let objects = this.buckets.get(bucket);
    if (!objects) {
      objects = { index: new KeyIndex(), metas: new Map() };
      this.buckets.set(bucket, objects);
    }
    return objects;
  }

  dir(bucket: string): string {
    return join(this.root, bucket);
  }

  async createBucket(bucket: string): Promise<void> {
    await mkdir(this.dir(bucket), { recursive: true });
    this.objects(bucket);
  }

  async dropBucket(bucket: string): Promise<void> {
    this.buckets.delete(bucket);
    await rm(this.dir(bucket), { recursive: true, force: true });
  }

  count(bucket: string): number {
    return this.buckets.get(bucket)?.index.size ?? 0;
  }

  index(bucket: string): KeyIndex {
    return this.objects(bucket).index;
  }

  head(bucket: string, key: string): ObjectMeta | undefined {
    return this.buckets.get(bucket)?.metas.get(key);
  }

  /** Streams a request body into the bucket's folder (not visible until `commit`). */
  async stage(bucket: string, source: Readable, options?: StageOptions): Promise<StagedFile> {
    // Listen before the first await: a body that fails early (bad aws-chunked framing, a client
    // that hangs up) must not emit an unhandled 'error'. The pipeline still sees the error.
    source.on('error', () => undefined);
    await mkdir(this.dir(bucket), { recursive: true });
    return stageStream(this.dir(bucket), source, options);
  }

  discard(staged: StagedFile): Promise<void> {
    return discardStaged(staged);
  }

  /** Makes a staged file the object `key`; resolves once data and meta are durable. */
  async commit(
    bucket: string,
    key: string,
    staged: StagedFile,
    attributes: Omit<ObjectMeta, 'key' | 'size' | 'etag' | 'dataFile' | 'lastModified'>,
  ): Promise<ObjectMeta> {
    const id = keyId(key);
    const dataFile = `${id}-${randomBytes(8).toString('hex')}.data`;
    const dir = this.dir(bucket);
    await rename(staged.tempFile, join(dir, dataFile));
    const meta: ObjectMeta = {
      key,
      size: staged.size,
      etag: staged.md5.toString('hex'),
      lastModified: new Date().toISOString(),
      dataFile,
      ...attributes,
    };
    let previous: ObjectMeta | undefined;
    await this.withKeyLock(bucket, key, async () => {
      // writeFileAtomic also fsyncs the folder, which makes the data rename durable too.
      await writeFileAtomic(join(dir, `${id}.meta.json`), JSON.stringify(meta));
      const objects = this.objects(bucket);
      previous = objects.metas.get(key);
      objects.metas.set(key, meta);
      objects.index.add(key);
    });
    if (previous && previous.dataFile !== dataFile) await rm(join(dir, previous.dataFile), { force: true });
    return meta;
  }

  /** Removes `key`; true if it existed. */
  async delete(bucket: string, key: string): Promise<boolean> {
    const dir = this.dir(bucket);
    let previous: ObjectMeta | undefined;
    await this.withKeyLock(bucket, key, async () => {
      const objects = this.buckets.get(bucket);
      previous = objects?.metas.get(key);
      if (!objects || !previous) return;
      await rm(join(dir, `${keyId(key)}.meta.json`), { force: true });
      await syncDir(dir);
      objects.metas.delete(key);
      objects.index.remove(key);
    });
    if (previous) await rm(join(dir, previous.dataFile), { force: true });
    return previous !== undefined;
  }

  /**
   * Opens the current bytes of `key`. An open handle keeps reading the version it opened even
   * if a newer write replaces (and unlinks) it meanwhile.
   */
  async openData(bucket: string, key: string): Promise<{ meta: ObjectMeta; handle: FileHandle } | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const meta = this.head(bucket, key);
      if (!meta) return undefined;
      try {
        return { meta, handle: await open(join(this.dir(bucket), meta.dataFile), 'r') };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return undefined;
  }

  async clear(): Promise<void> {
    this.buckets.clear();
    await rm(this.root, { recursive: true, force: true });
    await mkdir(this.root, { recursive: true });
  }

  private async withKeyLock(bucket: string, key: string, task: () => Promise<void>): Promise<void> {
    const name = `${bucket}\u0000${key}`;
    const before = this.locks.get(name) ?? Promise.resolve();
    const run = before.then(task);
    const settled = run.catch(() => undefined);
    this.locks.set(name, settled);
    try {
      await run;
    } finally {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    }
  }
}
