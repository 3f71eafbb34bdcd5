import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
const Bucket = uniqueBucket('list');
const KEYS = [
  'a.txt',
  'b/1.txt',
  'b/2.txt',
  'b/c/3.txt',
  'c/4.txt',
  'd',
  'e f/5',
  'é.txt',
  '😀.txt',
  'ﬀ.txt',
];

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket }));
  for (const Key of [...KEYS].reverse()) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

/** Pages through ListObjectsV2 and returns every key and common prefix in order. */
async function listAll(params: {
  Prefix?: string;
  Delimiter?: string;
  MaxKeys?: number;
  StartAfter?: string;
}) {
  const items: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, ...params, ContinuationToken: token }));
    pages++;
    expect(page.KeyCount).toBe((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0));
    items.push(
      ...(page.Contents ?? []).map((c) => c.Key!),
      ...(page.CommonPrefixes ?? []).map((p) => `[${p.Prefix}]`),
    );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { items, pages };
}

describe('ListObjectsV2', () => {
  it('lists every key in UTF-8 byte order', async () => {
    const { items } = await listAll({});
    expect(items).toEqual([
      'a.txt',
      'b/1.txt',
      'b/2.txt',
      'b/c/3.txt',
      'c/4.txt',
      'd',
      'e f/5',
      'é.txt',
      'ﬀ.txt',
      '😀.txt',
    ]);
  });

  it('filters by prefix and rolls keys up by delimiter', async () => {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
    expect(page.Contents?.map((c) => c.Key)).toEqual(['a.txt', 'd', 'é.txt', 'ﬀ.txt', '😀.txt']);
    expect(page.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/', 'c/', 'e f/']);
    const sub = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'b/', Delimiter: '/' }));
    expect(sub.Contents?.map((c) => c.Key)).toEqual(['b/1.txt', 'b/2.txt']);
    expect(sub.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/c/']);
    expect(sub.Contents?.[0]).toMatchObject({
      Size: 7,
      StorageClass: 'STANDARD',
      ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
    });
  });

  it('pages with continuation tokens, one entry at a time', async () => {
    const flat = await listAll({ MaxKeys: 1 });
    expect(flat.pages).toBe(KEYS.length);
    expect(flat.items).toHaveLength(KEYS.length);
    const rolled = await listAll({ MaxKeys: 1, Delimiter: '/' });
    expect(rolled.items).toEqual(['a.txt', '[b/]', '[c/]', 'd', '[e f/]', 'é.txt', 'ﬀ.txt', '😀.txt']);
    expect((await listAll({ MaxKeys: 2, Prefix: 'b/' })).items).toEqual(['b/1.txt', 'b/2.txt', 'b/c/3.txt']);
  });

  it('starts after a key', async () => {
    expect((await listAll({ StartAfter: 'c/4.txt', Delimiter: '/' })).items).toEqual([
      'd',
      'é.txt',
      'ﬀ.txt',
      '😀.txt',
      '[e f/]',
    ]);
  });

  it('refuses a forged continuation token', async () => {
    await expectSdkError(
      s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken: 'not-a-token' })),
      400,
      'InvalidArgument',
      'The continuation token provided is incorrect',
    );
  });
});
