import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ROOT_CREDENTIALS } from './solution-stack.ts';
import { md5Hex } from './ticket-uploads.ts';

/** Root S3 without SDK retries: a request cut by a crash fails, it is not sent to the next run. */
export const oneShotS3 = (endpoint: string): S3Client =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: ROOT_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 1,
  });

export async function versionedBucket(s3: S3Client, Bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

/** One write planned against a versioned bucket, and what its client saw. */
export type VersionedWrite =
  | { kind: 'put'; key: string; body: Buffer; md5: string; acked?: { versionId: string } }
  | { kind: 'tag'; key: string; versionId: string; value: string; acked?: true }
  | { kind: 'delete'; key: string; acked?: { versionId: string } };

/** A body of 1 KiB to 256 KiB (inline in the journal), or now and then 1.5 MiB (its own data file). */
export function plannedPut(key: string, i: number): VersionedWrite {
  const size = i % 9 === 4 ? 1536 * 1024 : 1024 + Math.floor(Math.random() * 255 * 1024);
  const body = randomBytes(size);
  return { kind: 'put', key, body, md5: md5Hex(body) };
}

/** Sends one write; records the answer on it when S3 acknowledged it, leaves it unacked otherwise. */
export async function send(s3: S3Client, Bucket: string, write: VersionedWrite): Promise<boolean> {
  try {
    if (write.kind === 'put') {
      const out = await s3.send(new PutObjectCommand({ Bucket, Key: write.key, Body: write.body }));
      write.acked = { versionId: out.VersionId! };
    } else if (write.kind === 'tag') {
      await s3.send(
        new PutObjectTaggingCommand({
          Bucket,
          Key: write.key,
          VersionId: write.versionId,
          Tagging: { TagSet: [{ Key: 'round', Value: write.value }] },
        }),
      );
      write.acked = true;
    } else {
      const out = await s3.send(new DeleteObjectCommand({ Bucket, Key: write.key }));
      write.acked = { versionId: out.VersionId! };
    }
    return true;
  } catch {
    return false;
  }
}

export interface StoredVersion {
  key: string;
  versionId: string;
  marker: boolean;
  md5?: string;
  tag?: string;
}

/** Every version and delete marker in the bucket (paged by markers), with bytes and tags read back. */
export async function storedVersions(s3: S3Client, Bucket: string): Promise<StoredVersion[]> {
  const out: StoredVersion[] = [];
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket, KeyMarker, VersionIdMarker, MaxKeys: 100 }),
    );
    for (const v of page.Versions ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: v.Key, VersionId: v.VersionId }));
      const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: v.Key, VersionId: v.VersionId }));
      out.push({
        key: v.Key!,
        versionId: v.VersionId!,
        marker: false,
        md5: md5Hex(await got.Body!.transformToByteArray()),
        ...(tags.TagSet?.[0] ? { tag: tags.TagSet[0].Value! } : {}),
      });
    }
    for (const m of page.DeleteMarkers ?? [])
      out.push({ key: m.Key!, versionId: m.VersionId!, marker: true });
    if (!page.IsTruncated) return out;
    KeyMarker = page.NextKeyMarker;
    VersionIdMarker = page.NextVersionIdMarker;
  }
}

/**
 * What went wrong, write by write: an acknowledged version or marker missing, a version whose
 * bytes are no put's body (torn), a duplicate id, an acknowledged tag update not (or not last)
 * applied. `tagsBefore` is each tagged version's tag before the round (an unacknowledged update
 * may or may not have landed).
 */
export function versionProblems(
  writes: VersionedWrite[],
  stored: StoredVersion[],
  tagsBefore: Map<string, string | undefined> = new Map(),
): string[] {
  const problems: string[] = [];
  const byId = new Map<string, StoredVersion>();
  for (const s of stored) {
    const id = `${s.key} ${s.versionId}`;
    if (byId.has(id)) problems.push(`duplicate version ${id}`);
    byId.set(id, s);
  }
  const bodies = new Set(writes.flatMap((w) => (w.kind === 'put' ? [`${w.key} ${w.md5}`] : [])));
  for (const s of stored)
    if (!s.marker && !bodies.has(`${s.key} ${s.md5}`))
      problems.push(`torn or foreign version ${s.key} ${s.versionId}`);
  for (const w of writes) {
    if (w.kind === 'put' && w.acked) {
      const s = byId.get(`${w.key} ${w.acked.versionId}`);
      if (!s || s.marker) problems.push(`lost version ${w.key} ${w.acked.versionId}`);
      else if (s.md5 !== w.md5) problems.push(`version ${w.key} ${w.acked.versionId} holds other bytes`);
    }
    if (w.kind === 'delete' && w.acked && !byId.get(`${w.key} ${w.acked.versionId}`)?.marker)
      problems.push(`lost delete marker ${w.key} ${w.acked.versionId}`);
    if (w.kind === 'tag') {
      const tag = byId.get(`${w.key} ${w.versionId}`)?.tag;
      const allowed = w.acked ? [w.value] : [w.value, tagsBefore.get(`${w.key} ${w.versionId}`)];
      if (!allowed.includes(tag))
        problems.push(`tag of ${w.key} ${w.versionId} is ${tag}, not ${allowed.join(' or ')}`);
    }
  }
  return problems;
}
