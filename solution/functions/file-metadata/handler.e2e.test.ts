import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FileRecord } from '../lib/file-record.ts';
import { startLocalAws } from '../test-support/local-aws.ts';
import type { LocalAws } from '../test-support/local-aws.ts';
import { readMetadataConfig } from './config.ts';
import { createMetadataHandler } from './handler.ts';
import type { MetadataHandler, S3Event } from './handler.ts';

const BUCKET = 'metadata-e2e-000000000000-us-east-1';
let aws: LocalAws;
let run: MetadataHandler;

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  aws = await startLocalAws(BUCKET);
  const config = readMetadataConfig({ AWS_ENDPOINT_URL: aws.url });
  run = createMetadataHandler(() => config);
});
afterAll(async () => {
  await aws?.stop();
  vi.restoreAllMocks();
});

/** The event S3 sends: the key form-URL-encoded (space → `+`, `@` → `%40`). */
function created(key: string): S3Event {
  const encoded = encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
  return {
    Records: [
      {
        eventName: 'ObjectCreated:Post',
        eventTime: '2026-03-01T12:00:00.000Z',
        s3: { bucket: { name: BUCKET }, object: { key: encoded } },
      },
    ],
  };
}

async function readRecord(key: string): Promise<FileRecord> {
  const answer = await aws.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  expect(answer.ContentType).toBe('application/json');
  return JSON.parse(await answer.Body!.transformToString()) as FileRecord;
}

describe('file-metadata against the local S3', () => {
  const key = 'incoming/0f8fad5b-d9cb-469f-a165-70867728950e-red flower@home.png';

  it('writes metadata/<name>.json for a new upload, decoding the event key', async () => {
    await aws.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: 'not really a png',
        ContentType: 'image/png',
        Metadata: { 'original-name': encodeURIComponent('Red flower @ home.png') },
      }),
    );
    const summary = await run(created(key));
    const target = 'metadata/0f8fad5b-d9cb-469f-a165-70867728950e-red flower@home.png.json';
    expect(summary.written).toEqual([target]);
    const record = await readRecord(target);
    expect(record).toMatchObject({ key, name: 'Red flower @ home.png', size: 16, contentType: 'image/png' });
    expect(record.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(Number.isNaN(Date.parse(record.uploadedAt))).toBe(false);
  });

  it('is idempotent: a retried event rewrites the same record', async () => {
    const target = (await run(created(key))).written[0] ?? '';
    const first = await readRecord(target);
    await run(created(key));
    expect(await readRecord(target)).toEqual(first);
  });

  it('ignores its own metadata/ writes and skips an object that is gone, without throwing', async () => {
    const before = await aws.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const own = await run(created('metadata/whatever.json'));
    const gone = await run(created('incoming/deleted-before-we-looked.txt'));
    expect(own).toEqual({ written: [], ignored: ['metadata/whatever.json'] });
    expect(gone).toEqual({ written: [], ignored: ['incoming/deleted-before-we-looked.txt'] });
    const after = await aws.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(after.KeyCount).toBe(before.KeyCount);
  });

  it('throws (so Lambda retries) when S3 refuses for another reason', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A fresh handler, so a fresh client resolves these (wrong) credentials: S3 answers 403.
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-the-secret');
    try {
      const config = readMetadataConfig({ AWS_ENDPOINT_URL: aws.url });
      await expect(createMetadataHandler(() => config)(created(key))).rejects.toThrow(/1 record\(s\) failed/);
    } finally {
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    }
  });
});
