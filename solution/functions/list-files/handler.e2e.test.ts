import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FileRecord } from '../lib/file-record.ts';
import { startLocalAws } from '../test-support/local-aws.ts';
import type { LocalAws } from '../test-support/local-aws.ts';
import { readListConfig } from './config.ts';
import { createListHandler } from './handler.ts';
import type { FilesResponse, ListHandler } from './handler.ts';

const BUCKET = 'list-e2e-000000000000-us-east-1';
let aws: LocalAws;
let run: ListHandler;

function record(n: number): FileRecord {
  return {
    key: `incoming/file-${n}.txt`,
    name: `file ${n}.txt`,
    size: n,
    contentType: 'text/plain',
    etag: 'd41d8cd98f00b204e9800998ecf8427e',
    uploadedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  };
}

beforeAll(async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  aws = await startLocalAws(BUCKET);
  const config = readListConfig({ FILES_BUCKET: BUCKET, AWS_ENDPOINT_URL: aws.url });
  run = createListHandler(() => config);
  const put = (key: string, body: string) =>
    aws.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  // Written out of order, so the answer's order must come from uploadedAt.
  for (const n of [3, 1, 12, 7, 5, 9, 2, 11, 4, 10, 6, 8]) {
    await put(`metadata/file-${n}.txt.json`, JSON.stringify(record(n)));
  }
  await put('metadata/broken.json', '{ not json');
  await put('metadata/other-shape.json', '{"hello": "world"}');
  await put('incoming/file-1.txt', 'x');
});
afterAll(async () => {
  await aws?.stop();
  vi.restoreAllMocks();
});

async function list(query?: Record<string, string>) {
  const result = await run(query ? { version: '2.0', queryStringParameters: query } : { version: '2.0' });
  expect(result.headers['content-type']).toBe('application/json');
  return { status: result.statusCode, body: JSON.parse(result.body) as FilesResponse & { code?: string } };
}

describe('list-files against the local S3', () => {
  it('lists every readable record, newest first, skipping broken ones', async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body.count).toBe(12);
    expect(body.files.map((f) => f.size)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(body.files[0]).toEqual(record(12));
  });

  it('honours ?limit', async () => {
    const { body } = await list({ limit: '3' });
    expect(body.count).toBe(3);
    expect(body.files.map((f) => f.size)).toEqual([12, 11, 10]);
  });

  it.each(['0', '101', 'ten'])('answers 400 INVALID_LIMIT for limit=%s', async (limit) => {
    const { status, body } = await list({ limit });
    expect(status).toBe(400);
    expect(body.code).toBe('INVALID_LIMIT');
  });

  it('answers a JSON 500 with code CONFIG when FILES_BUCKET is missing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await createListHandler(() => readListConfig({}))({ version: '2.0' });
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toMatchObject({
      code: 'CONFIG',
      error: expect.stringContaining('FILES_BUCKET'),
    });
  });
});
