import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { compareUtf8 } from '../model/key-index.ts';
import { readJsonFile, syncDir, writeFileAtomic } from '../../../storage/atomic.ts';
import {
  DONE,
  isPartFile,
  PART_RECORD,
  partRecordName,
  UPLOAD_FILE,
  type PartRecord,
  type Upload,
  type UploadRecord,
} from './upload-records.ts';

/**
 * Multipart uploads in progress, on disk under `<root>/<bucket>/<uploadId>/`: `upload.json`, and
 * per part a `part.<n>.json` naming the `<n>-<random>.part` file that holds its bytes. Each change
 * is durable before it resolves (bytes synced, then the record written atomically), so a restart
 * lists the same uploads with the same parts. A completed or aborted upload's folder is first
 * renamed to `.done-…` (durably), then removed; the next start removes whatever a crash left.
 */
export class UploadStore {
  private readonly buckets = new Map<string, Map<string, Upload>>();
  /** Ended uploads' folders being removed in the background (awaited by `close`). */
  private readonly cleanups = new Set<Promise<void>>();

  private constructor(private readonly root: string) {}

  /**
   * Loads every upload; drops uploads of deleted buckets, uploads whose object is committed
   * (`completedBy` names the upload that made the key's current object), `.done-` folders, temp
   * and orphan part files.
   */
  static async open(
    root: string,
    bucketExists: (bucket: string) => boolean,
    completedBy: (bucket: string, key: string) => string | undefined,
  ): Promise<UploadStore> {
    const store = new UploadStore(root);
    await mkdir(root, { recursive: true });
    for (const bucket of await readdir(root)) {
      const bucketDir = join(root, bucket);
      if (!bucketExists(bucket)) {
        await rm(bucketDir, { recursive: true, force: true });
        continue;
      }
      for (const id of await readdir(bucketDir)) {
        const upload = id.startsWith(DONE) ? undefined : await loadUpload(join(bucketDir, id));
        // A crash between the object's commit and the removal of its upload's folder.
        if (upload && completedBy(bucket, upload.record.key) !== id) store.uploadsOf(bucket).set(id, upload);
        else await rm(join(bucketDir, id), { recursive: true, force: true });
      }
    }
    return store;
  }

  private uploadsOf(bucket: string): Map<string, Upload> {
    let uploads = this.buckets.get(bucket);
    if (!uploads) this.buckets.set(bucket, (uploads = new Map()));
    return uploads;
  }

  /** Starts an upload; resolves once its record is durable. */
  async create(record: UploadRecord): Promise<Upload> {
    const bucketDir = join(this.root, record.bucket);
    const dir = join(bucketDir, record.uploadId);
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, UPLOAD_FILE), JSON.stringify(record));
    await syncDir(bucketDir);
    await syncDir(this.root);
    const upload: Upload = { record, dir, parts: new Map(), gone: false, queue: Promise.resolve() };
    this.uploadsOf(record.bucket).set(record.uploadId, upload);
    return upload;
  }

  /** The upload `uploadId` of `bucket` for `key`, if it is still in progress. */
  get(bucket: string, key: string, uploadId: string): Upload | undefined {
    const upload = this.buckets.get(bucket)?.get(uploadId);
    return upload && !upload.gone && upload.record.key === key ? upload : undefined;
  }

  /** The bucket's uploads in progress, by key, then by the time they were initiated. */
  list(bucket: string): Upload[] {
    return [...(this.buckets.get(bucket)?.values() ?? [])]
      .filter((u) => !u.gone)
      .sort(
        (a, b) =>
          compareUtf8(a.record.key, b.record.key) ||
          a.record.initiated.localeCompare(b.record.initiated) ||
          a.record.uploadId.localeCompare(b.record.uploadId),
      );
  }

  /** Runs `task` after every earlier change of the upload; false (and no run) once it is gone. */
  serialize<T>(upload: Upload, task: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    const run = upload.queue.then(async () =>
      upload.gone ? ({ ok: false } as const) : ({ ok: true, value: await task() } as const),
    );
    upload.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Records a part whose bytes are in `tempFile` (synced, inside the upload's folder) or `inline`.
   * Call inside `serialize`. A part number uploaded again replaces the earlier part.
   */
  async putPart(
    upload: Upload,
    part: Omit<PartRecord, 'file'>,
    source: { tempFile?: string; inline?: Buffer },
  ) {
    const file = `${part.partNumber}-${randomBytes(6).toString('hex')}.part`;
    if (source.tempFile) await rename(source.tempFile, join(upload.dir, file));
    else await writeFileAtomic(join(upload.dir, file), source.inline ?? Buffer.alloc(0));
    const record: PartRecord = { ...part, file };
    // Atomic and synced: also makes the rename above durable (same folder).
    await writeFileAtomic(join(upload.dir, partRecordName(part.partNumber)), JSON.stringify(record));
    const previous = upload.parts.get(part.partNumber);
    upload.parts.set(part.partNumber, record);
    if (previous) await rm(join(upload.dir, previous.file), { force: true });
    return record;
  }

  /**
   * Ends an upload (completed or aborted; call inside `serialize`): from now on it does not exist.
   * Its folder is renamed aside durably, then removed off the answer's path (what a crash leaves
   * of it, the next start removes).
   */
  async end(upload: Upload): Promise<void> {
    upload.gone = true;
    this.buckets.get(upload.record.bucket)?.delete(upload.record.uploadId);
    const bucketDir = join(this.root, upload.record.bucket);
    const aside = join(bucketDir, `${DONE}${upload.record.uploadId}`);
    await rename(upload.dir, aside);
    await syncDir(bucketDir);
    const task = rm(aside, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 })
      .catch(() => undefined)
      .finally(() => this.cleanups.delete(task));
    this.cleanups.add(task);
  }

  /** DeleteBucket: S3 deletes a bucket whose only content is uploads in progress, and them with it. */
  async dropBucket(bucket: string): Promise<void> {
    for (const upload of this.buckets.get(bucket)?.values() ?? []) upload.gone = true;
    this.buckets.delete(bucket);
    await rm(join(this.root, bucket), { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }

  async clear(): Promise<void> {
    for (const bucket of [...this.buckets.keys()]) await this.dropBucket(bucket);
    await rm(this.root, { recursive: true, force: true });
    await mkdir(this.root, { recursive: true });
  }

  /** Waits for every change in progress. */
  async close(): Promise<void> {
    await Promise.all([...this.buckets.values()].flatMap((m) => [...m.values()].map((u) => u.queue)));
    await Promise.all(this.cleanups);
  }
}

/** Reads one upload's folder, removing temp files and part files no part record names. */
async function loadUpload(dir: string): Promise<Upload | undefined> {
  const record = await readJsonFile<UploadRecord>(join(dir, UPLOAD_FILE)).catch(() => undefined);
  if (!record || typeof record.uploadId !== 'string') return undefined;
  const names = await readdir(dir);
  const present = new Set(names);
  const parts = new Map<number, PartRecord>();
  for (const name of names) {
    if (!PART_RECORD.test(name)) continue;
    const part = await readJsonFile<PartRecord>(join(dir, name)).catch(() => undefined);
    if (part && present.has(part.file)) parts.set(part.partNumber, part);
    else await rm(join(dir, name), { force: true });
  }
  const referenced = new Set([...parts.values()].map((p) => p.file));
  for (const name of names)
    if (name.startsWith('.tmp-') || (isPartFile(name) && !referenced.has(name)))
      await rm(join(dir, name), { force: true });
  return { record, dir, parts, gone: false, queue: Promise.resolve() };
}
