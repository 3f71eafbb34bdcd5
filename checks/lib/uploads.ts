import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** How long after an upload the pipeline may still write its metadata record, when nobody saw it work. */
const LATE_RECORD_MS = 1500;
/** How long to wait for the record of an upload: the pipeline was seen working, or is configured to. */
const RECORD_WAIT_MS = { proven: 10_000, configured: 5_000 };
const POLL_MS = 150;

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

  /**
   * Deletes the objects and their records; returns the keys it could not delete, with why. When the
   * pipeline works (the dashboard row passed) or is configured to, it first waits for each upload's
   * record: the metadata function may have read the object already and write its record after a delete.
   */
  async cleanup(options: { pipeline?: 'proven' | 'configured' | 'none' } = {}): Promise<string[]> {
    const problems: string[] = [];
    const uploads = [...this.#uploads.values()];
    this.#uploads.clear();
    const records = uploads.flatMap((u) => {
      const r = this.recordKey(u.key);
      return r ? [{ ...u, record: r }] : [];
    });
    const expect =
      options.pipeline === 'proven' || options.pipeline === 'configured' ? options.pipeline : undefined;
    if (expect) {
      const deadline = Date.now() + RECORD_WAIT_MS[expect];
      await Promise.all(records.filter((r) => !r.recordSeen).map((r) => this.#waitFor(r.record, deadline)));
    }
    await Promise.all([
      ...uploads.map((u) => this.#delete(u.key, problems)),
      ...records.map((r) => this.#delete(r.record, problems)),
    ]);
    if (expect) return problems;
    // An S3 event may still be on its way for a fresh upload: delete its record again once it is due.
    const late = records.filter((r) => !r.recordSeen && Date.now() - r.at < LATE_RECORD_MS);
    if (late.length > 0) {
      const wait = LATE_RECORD_MS - (Date.now() - Math.min(...late.map((r) => r.at)));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      await Promise.all(late.map((r) => this.#delete(r.record, problems)));
    }
    return problems;
  }

  async #waitFor(key: string, deadline: number): Promise<void> {
    while (Date.now() < deadline) {
      const found = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })).then(
        () => true,
        () => false,
      );
      if (found) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async #delete(key: string, problems: string[]): Promise<void> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      problems.push(`${key}: ${(err as Error).message}`);
    }
  }
}
