import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { LabOutputs } from '../../../checks/lib/outputs.ts';
import { inParallel, md5Hex, recordKeyFor, type PlannedFile } from './ticket-uploads.ts';

/** A metadata record (docs/contracts.md, "Records"). */
export interface FileRecord {
  key: string;
  name: string;
  size: number;
  contentType: string;
  etag: string;
  uploadedAt: string;
}

/** Every key under `prefix`, all pages, in listing order (duplicates kept, so a test can see them). */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** The object's bytes, or undefined when there is no such key. */
export async function readObject(s3: S3Client, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

/** What is wrong with the stored object `key`, compared with what was uploaded (empty: nothing). */
export async function objectProblems(
  s3: S3Client,
  bucket: string,
  key: string,
  file: PlannedFile,
): Promise<string[]> {
  const data = await readObject(s3, bucket, key);
  if (!data) return [`${key}: missing`];
  if (data.length !== file.body.length || md5Hex(data) !== file.md5)
    return [
      `${key}: ${data.length} bytes md5 ${md5Hex(data)}, uploaded ${file.body.length} bytes md5 ${file.md5}`,
    ];
  return [];
}

/**
 * Waits until every key in `keys` has its metadata record (one listing per poll; the deadline
 * only bounds a stuck pipeline), then reads them all.
 */
export async function waitForRecords(
  s3: S3Client,
  outputs: LabOutputs,
  keys: readonly string[],
  deadlineMs: number,
): Promise<Map<string, FileRecord>> {
  const wanted = new Map(keys.map((k) => [recordKeyFor(outputs, k), k]));
  const end = Date.now() + deadlineMs;
  for (;;) {
    const present = new Set(await listKeys(s3, outputs.bucket, outputs.metadataPrefix));
    const missing = [...wanted.keys()].filter((r) => !present.has(r));
    if (missing.length === 0) break;
    if (Date.now() > end)
      throw new Error(
        `${missing.length} of ${wanted.size} metadata records never appeared, e.g. ${missing[0]}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const { results } = await inParallel([...wanted], 16, async ([recordKey, key]) => {
    const data = await readObject(s3, outputs.bucket, recordKey);
    return [key, JSON.parse(data?.toString('utf8') ?? 'null') as FileRecord] as const;
  });
  return new Map(results);
}

/** What is wrong with the record of `key` (empty: nothing). */
export function recordProblems(record: FileRecord | undefined, key: string, file: PlannedFile): string[] {
  if (!record) return [`${key}: no record`];
  const problems: string[] = [];
  if (record.key !== key) problems.push(`${key}: record names key ${record.key}`);
  if (record.size !== file.body.length)
    problems.push(`${key}: record size ${record.size}, uploaded ${file.body.length}`);
  if (record.etag !== file.md5) problems.push(`${key}: record etag ${record.etag}, uploaded md5 ${file.md5}`);
  if (record.name !== file.name)
    problems.push(`${key}: record name ${record.name}, uploaded as ${file.name}`);
  if (record.contentType !== file.contentType)
    problems.push(`${key}: record contentType ${record.contentType}, uploaded ${file.contentType}`);
  return problems;
}

/** Keys that occur more than once. */
export const duplicates = (keys: readonly string[]): string[] => [
  ...new Set(keys.filter((k, i) => keys.indexOf(k) !== i)),
];
