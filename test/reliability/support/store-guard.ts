import { createHash, randomBytes } from 'node:crypto';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { decodeRecord } from '../../../emulator/services/s3/model/object-records.ts';
import { readRecords } from '../../../emulator/storage/log-reader.ts';

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

/** What a batch of faults must not disturb: health, canary bytes, a listing, and stray files. */
export interface GuardReport {
  healthy: boolean;
  /** Canary objects missing or changed. */
  lost: string[];
  listingChanged: boolean;
  /** `.tmp-*` files, unreferenced `.data` files or old journals in the object folders. */
  strayFiles: string[];
}

/**
 * Canary objects written before a batch of faults, and the checks run after it: the local AWS
 * answers `/_emulator/health`, every canary reads back byte-identical (MD5), the canary bucket
 * lists exactly as before, and no temp or orphan file is left in any bucket's object folder.
 */
export class StoreGuard {
  private constructor(
    private readonly url: string,
    private readonly dataDir: string,
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly canaries: Map<string, string>,
  ) {}

  static async arm(url: string, dataDir: string, s3: S3Client): Promise<StoreGuard> {
    const bucket = `canary-${randomBytes(5).toString('hex')}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const canaries = new Map<string, string>();
    const bodies: Array<[string, Uint8Array]> = [
      ['canary/plain.txt', Buffer.from('the canary sings\n')],
      ['canary/ünïcødé 😀.bin', randomBytes(70_000)],
      ['canary/empty', new Uint8Array(0)],
    ];
    for (const [Key, Body] of bodies) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
      canaries.set(Key, md5(Body));
    }
    return new StoreGuard(url, dataDir, s3, bucket, canaries);
  }

  get canaryCount(): number {
    return this.canaries.size;
  }

  async check(): Promise<GuardReport> {
    const health = await fetch(`${this.url}/_emulator/health`).catch(() => undefined);
    const healthy = health?.status === 200 && ((await health.json()) as { status?: string }).status === 'ok';
    const lost: string[] = [];
    for (const [Key, sum] of this.canaries) {
      const got = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key })).then(
        async (out) => md5(await out.Body!.transformToByteArray()),
        () => undefined,
      );
      if (got !== sum) lost.push(Key);
    }
    const listed = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket }));
    const keys = (listed.Contents ?? []).map((c) => c.Key).sort();
    const listingChanged = JSON.stringify(keys) !== JSON.stringify([...this.canaries.keys()].sort());
    return { healthy, lost, listingChanged, strayFiles: await strayObjectFiles(this.dataDir) };
  }

  /** Checks until clean or the deadline passes (a dropped upload's temp file goes asynchronously). */
  async settle(deadlineMs = 10_000): Promise<GuardReport> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const report = await this.check();
      const clean =
        report.healthy && !report.lost.length && !report.listingChanged && !report.strayFiles.length;
      if (clean || Date.now() > end) return report;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Temp files, `.data` files no live journal record names, and superseded journal generations,
 * under `<dataDir>/s3/objects/<bucket>/`.
 */
export async function strayObjectFiles(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 's3', 'objects');
  const stray: string[] = [];
  for (const bucket of await readdir(root).catch(() => [] as string[])) {
    const dir = join(root, bucket);
    const files = await readdir(dir).catch(() => [] as string[]);
    const journals = files.filter((f) => /^journal\.\d+\.log$/.test(f));
    const newest = journals.sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]))[0];
    const referenced = newest ? await liveDataFiles(join(dir, newest)) : new Set<string>();
    for (const f of files)
      if (
        f.startsWith('.tmp-') ||
        (f.endsWith('.data') && !referenced.has(f)) ||
        (journals.includes(f) && f !== newest)
      )
        stray.push(`${bucket}/${f}`);
  }
  return stray;
}

/** The data files the journal's last record for each key names (the emulator's own reader). */
async function liveDataFiles(journal: string): Promise<Set<string>> {
  const live = new Map<string, string | undefined>();
  const handle = await open(journal, 'r');
  try {
    await readRecords(handle, (payload) => {
      const record = decodeRecord(payload)?.record;
      if (record?.op === 'put') live.set(record.key, record.dataFile);
      else if (record) live.delete(record.key);
    });
  } finally {
    await handle.close();
  }
  return new Set([...live.values()].filter((f): f is string => f !== undefined));
}
