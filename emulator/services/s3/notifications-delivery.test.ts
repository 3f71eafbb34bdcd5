import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand, CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { postForm, uniqueBucket } from './s3-test-kit.ts';
import type * as NotifyKit from './notify-test-kit.ts';
import type * as LambdaKit from '../lambda/test-kit.ts';

// Lambda's async retries, shortened so the retry cases settle quickly.
process.env['S3_EVENT_RETRY_DELAYS_MS'] = '100,200';
const hasLambda = existsSync(new URL('../lambda/index.ts', import.meta.url));

let emulator: TestEmulator;
let s3: S3Client;
let dir: string;
const { recorderFor } = hasLambda ? await import('./notify-test-kit.ts') : ({} as typeof NotifyKit);
const { eventually } = hasLambda ? await import('../lambda/test-kit.ts') : ({} as typeof LambdaKit);

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  dir = await mkdtemp(join(tmpdir(), 's3-events-'));
});
afterAll(async () => {
  s3.destroy();
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function bucket(): Promise<string> {
  const Bucket = uniqueBucket('events');
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

async function post(Bucket: string, Key: string, body: string): Promise<void> {
  const { url, fields } = await createPresignedPost(s3, { Bucket, Key });
  const response = await postForm(url, fields, body);
  expect(response.status).toBe(204);
}

describe.skipIf(!hasLambda)('S3 → Lambda notifications', () => {
  it('delivers ObjectCreated:Post with the recorded event shape (form-encoded key, unquoted eTag)', async () => {
    const Bucket = await bucket();
    const recorder = await recorderFor(emulator.url, s3, {
      bucket: Bucket,
      name: 'shape',
      dir,
      prefix: 'incoming/',
    });
    await s3.send(new PutObjectCommand({ Bucket, Key: 'elsewhere/skip.txt', Body: 'not under the prefix' }));
    await post(Bucket, 'incoming/red flower@1.jpg', 'sixteen bytes!!!');
    const [event] = await eventually(async () =>
      (await recorder.events()).length ? recorder.events() : undefined,
    );
    expect(event).toEqual({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          eventName: 'ObjectCreated:Post',
          userIdentity: { principalId: 'AWS:000000000000' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: {
            'x-amz-request-id': expect.stringMatching(/^[0-9A-F]{16}$/),
            'x-amz-id-2': expect.any(String),
          },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'shape-config',
            bucket: {
              name: Bucket,
              ownerIdentity: { principalId: expect.any(String) },
              arn: `arn:aws:s3:::${Bucket}`,
            },
            object: {
              key: 'incoming/red+flower%401.jpg',
              size: 16,
              eTag: createHash('md5').update('sixteen bytes!!!').digest('hex'),
              sequencer: expect.stringMatching(/^[0-9A-F]+$/),
            },
          },
        },
      ],
    });
    expect(await recorder.events()).toHaveLength(1);
  });

  it('names Put, Post and Copy, and honours an event filter', async () => {
    const Bucket = await bucket();
    const recorder = await recorderFor(emulator.url, s3, { bucket: Bucket, name: 'kinds', dir });
    await s3.send(new PutObjectCommand({ Bucket, Key: 'put.txt', Body: 'p' }));
    await post(Bucket, 'post.txt', 'q');
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy.txt', CopySource: `${Bucket}/put.txt` }));
    const events = await eventually(async () =>
      (await recorder.events()).length === 3 ? recorder.events() : undefined,
    );
    const names = Object.fromEntries(
      events.map((e) => [e.Records[0]!.s3.object.key, e.Records[0]!['eventName']]),
    );
    expect(names).toEqual({
      'put.txt': 'ObjectCreated:Put',
      'post.txt': 'ObjectCreated:Post',
      'copy.txt': 'ObjectCreated:Copy',
    });

    const postsOnly = await bucket();
    const onlyPost = await recorderFor(emulator.url, s3, {
      bucket: postsOnly,
      name: 'posts-only',
      dir,
      events: ['s3:ObjectCreated:Post'],
    });
    await s3.send(new PutObjectCommand({ Bucket: postsOnly, Key: 'put.txt', Body: 'p' }));
    await post(postsOnly, 'post.txt', 'q');
    const only = await eventually(async () =>
      (await onlyPost.events()).length ? onlyPost.events() : undefined,
    );
    expect(only.map((e) => e.Records[0]!.s3.object.key)).toEqual(['post.txt']);
  });

  it('loses and duplicates nothing under concurrent uploads', async () => {
    const Bucket = await bucket();
    const recorder = await recorderFor(emulator.url, s3, { bucket: Bucket, name: 'burst', dir });
    const keys = Array.from({ length: 30 }, (_, i) => `burst/${i}`);
    await Promise.all(
      keys.map((Key, i) =>
        i % 2 ? post(Bucket, Key, Key) : s3.send(new PutObjectCommand({ Bucket, Key, Body: Key })),
      ),
    );
    await eventually(async () => ((await recorder.events()).length >= keys.length ? true : undefined));
    await post(Bucket, 'sentinel', 'last');
    const events = await eventually(async () => {
      const all = await recorder.events();
      return all.some((e) => e.Records[0]!.s3.object.key === 'sentinel') ? all : undefined;
    });
    const delivered = events.map((e) => e.Records[0]!.s3.object.key).filter((k) => k !== 'sentinel');
    expect(delivered.sort()).toEqual([...keys].sort());
    const sequencers = events.map(
      (e) => (e.Records[0]!.s3 as { object: { sequencer: string } }).object.sequencer,
    );
    expect(new Set(sequencers).size).toBe(sequencers.length);
  });

  it('retries a failing function twice, like Lambda async invocations', async () => {
    const Bucket = await bucket();
    const flaky = await recorderFor(emulator.url, s3, { bucket: Bucket, name: 'flaky', dir, failTimes: 2 });
    await s3.send(new PutObjectCommand({ Bucket, Key: 'third-time.txt', Body: 'x' }));
    await eventually(async () => ((await flaky.events()).length ? true : undefined));
    expect(await flaky.attempts()).toEqual(['third-time.txt', 'third-time.txt', 'third-time.txt']);

    const Other = await bucket();
    const broken = await recorderFor(emulator.url, s3, { bucket: Other, name: 'broken', dir, failTimes: 99 });
    await s3.send(new PutObjectCommand({ Bucket: Other, Key: 'never.txt', Body: 'x' }));
    // The event leaves the durable queue once its three attempts are spent.
    const queue = join(emulator.dataDir, 's3', 'events');
    await eventually(async () =>
      (await broken.attempts()).length >= 3 && (await readdir(queue)).length === 0 ? true : undefined,
    );
    expect(await broken.attempts()).toEqual(['never.txt', 'never.txt', 'never.txt']);
    expect(await broken.events()).toEqual([]);
  });
});
