import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** How long after an upload the pipeline may still write its metadata record. */
const LATE_RECORD_MS = 1500;

interface Upload {
  key: string;
  at: number;
  recordSeen: boolean;
}

/** `metadata/<name>.json` for `incoming/<name>` (docs/contracts.md, "Records"); undefined outside the prefix. */
export function metadataKeyFor(
  key: string,
  uploadPrefix: string,
  metadataPrefix: string,
): string | undefined {
  if (!key.startsWith(uploadPrefix)) return undefined;
  return `${metadataPrefix}${key.slice(uploadPrefix.length)}.json`;
}

/**
 * Every object the checker uploads (or lets a ticket upload) is registered here before the request
 * is sent, and removed after the run with its metadata record — the checker changes nothing else.
 */
export class UploadRegistry {
  readonly #uploads = new Map<string, Upload>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly uploadPrefix: string,
    private readonly metadataPrefix: string,
  ) {}

  add(key: string): void {
    this.#uploads.set(key, { key, at: Date.now(), recordSeen: false });
  }

  /** S3 refused the upload: nothing landed, nothing to delete or wait for. */
  forget(key: string): void {
    this.#uploads.delete(key);
  }

  /** The pipeline's record for `key` was seen (and will be deleted now, not waited for). */
  recordSeen(key: string): void {
    const upload = this.#uploads.get(key);
    if (upload) upload.recordSeen = true;
  }

  get keys(): string[] {
    return [...this.#uploads.keys()];
  }

  recordKey(key: string): string | undefined {
    return metadataKeyFor(key, this.uploadPrefix, this.metadataPrefix);
  }

  /** Deletes the objects and their records; returns the keys it could not delete, with why. */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    const uploads = [...this.#uploads.values()];
    this.#uploads.clear();
    const records = uploads.flatMap((u) => {
      const r = this.recordKey(u.key);
      return r ? [{ ...u, record: r }] : [];
    });
    await Promise.all([
      ...uploads.map((u) => this.#delete(u.key, problems)),
      ...records.map((r) => this.#delete(r.record, problems)),
    ]);
    // An S3 event may still be on its way for a fresh upload: delete its record again once it is due.
    const late = records.filter((r) => !r.recordSeen && Date.now() - r.at < LATE_RECORD_MS);
    if (late.length > 0) {
      const wait = LATE_RECORD_MS - (Date.now() - Math.min(...late.map((r) => r.at)));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      await Promise.all(late.map((r) => this.#delete(r.record, problems)));
    }
    return problems;
  }

  async #delete(key: string, problems: string[]): Promise<void> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      problems.push(`${key}: ${(err as Error).message}`);
    }
  }
}
