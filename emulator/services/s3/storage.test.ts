import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketCorsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildEmulator } from '../../test-support/child-emulator.ts';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator } from '../../test-support/start-test-emulator.ts';
import { INLINE_MAX } from './model/staging.ts';
import { expectSdkError, uniqueBucket } from './s3-test-kit.ts';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3-storage-'));
  dirs.push(dir);
  return dir;
}
const bucketFiles = (dir: string, bucket: string) => readdir(join(dir, 's3', 'objects', bucket));
/** Files in the bucket's folder other than its journal: temp files and `.data` files. */
const objectFiles = async (dir: string, bucket: string) =>
  (await bucketFiles(dir, bucket)).filter((f) => !/^journal\.\d+\.log$/.test(f));

/** Starts a signed PUT whose body the caller writes (and may never finish). */
async function openPut(url: string, bucket: string, key: string, length: number): Promise<ClientRequest> {
  const target = new URL(`${url}/${bucket}/${key}`);
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    region: 'us-east-1',
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
  });
  const signed = await signer.sign({
    method: 'PUT',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query: {},
    headers: { host: target.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  const req = request({
    host: '127.0.0.1',
    port: Number(target.port),
    method: 'PUT',
    path: target.pathname,
    headers: { ...signed.headers, 'content-length': length },
  });
  req.on('error', () => undefined);
  return req;
}

/** Starts a multipart POST of `fields` and a file of `length` bytes, whose bytes the caller writes. */
async function openPost(url: string, fields: Record<string, string>, length: number): Promise<ClientRequest> {
  const boundary = 'storage-test-boundary';
  const head =
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n`;
  const target = new URL(url);
  const req = request({
    host: '127.0.0.1',
    port: Number(target.port),
    method: 'POST',
    path: target.pathname,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': Buffer.byteLength(head) + length,
    },
  });
  req.on('error', () => undefined);
  req.write(head);
  return req;
}

async function waitFor<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met');
}

describe('durability', () => {
  it('keeps every acknowledged object and bucket setting across a restart', async () => {
    const dir = await dataDir();
    let emulator = await startTestEmulator({ dataDir: dir });
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('durable');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketCorsCommand({
        Bucket,
        CORSConfiguration: { CORSRules: [{ AllowedMethods: ['POST'], AllowedOrigins: ['http://a.test'] }] },
      }),
    );
    const body = randomBytes(300_000);
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'a/b.bin',
        Body: body,
        ContentType: 'application/x-test',
        Metadata: { m: 'v' },
      }),
    );
    s3.destroy();
    await emulator.stopKeepingData();

    emulator = await startTestEmulator({ dataDir: dir });
    s3 = s3Client(emulator.url);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/b.bin' }));
    expect(md5(Buffer.from(await got.Body!.transformToByteArray()))).toBe(md5(body));
    expect([got.ContentType, got.Metadata]).toEqual(['application/x-test', { m: 'v' }]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key)).toEqual([
      'a/b.bin',
    ]);
    expect((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules?.[0]?.AllowedOrigins).toEqual([
      'http://a.test',
    ]);
    s3.destroy();
    await emulator.stop();
  });

  it('shows no partial object after a crash mid-upload, and cleans the leftovers at start', async () => {
    const dir = await dataDir();
    const child = await startChildEmulator(dir);
    let s3 = s3Client(child.url);
    const Bucket = uniqueBucket('crash');
    try {
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'acknowledged.txt', Body: 'safe' }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'partial.bin', Body: 'the old version' }));
      const put = await openPut(child.url, Bucket, 'partial.bin', 10 * 1024 * 1024);
      put.write(randomBytes(INLINE_MAX + 512 * 1024));
      // The server is writing the temp file when the process dies.
      await waitFor(async () =>
        (await bucketFiles(dir, Bucket)).some((f) => f.startsWith('.tmp-')) ? true : undefined,
      );
      await child.crash();
      put.destroy();
    } finally {
      s3.destroy();
      await child.crash();
    }
    expect((await bucketFiles(dir, Bucket)).some((f) => f.startsWith('.tmp-'))).toBe(true);

    const emulator = await startTestEmulator({ dataDir: dir });
    s3 = s3Client(emulator.url);
    expect(
      await (
        await s3.send(new GetObjectCommand({ Bucket, Key: 'acknowledged.txt' }))
      ).Body!.transformToString(),
    ).toBe('safe');
    expect(
      await (await s3.send(new GetObjectCommand({ Bucket, Key: 'partial.bin' }))).Body!.transformToString(),
    ).toBe('the old version');
    // Both objects are small (their bytes sit in the journal): no temp or data file is left.
    expect(await objectFiles(dir, Bucket)).toEqual([]);
    s3.destroy();
    await emulator.stop();
  });

  it('never tears an object under concurrent writes to one key', async () => {
    const dir = await dataDir();
    const emulator = await startTestEmulator({ dataDir: dir });
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('race');
    await s3.send(new CreateBucketCommand({ Bucket }));
    // Odd bodies are stored inline in the journal, even ones in their own data file.
    const bodies = Array.from({ length: 16 }, (_, i) =>
      Buffer.alloc(i % 2 ? 1024 + i : INLINE_MAX + i, i + 1),
    );
    const valid = new Set(bodies.map((b) => md5(b)));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'hot', Body: bodies[0]! }));
    let writing = true;
    const reads = (async () => {
      const seen: string[] = [];
      while (writing) {
        const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'hot' }));
        const bytes = Buffer.from(await got.Body!.transformToByteArray());
        expect(`"${md5(bytes)}"`).toBe(got.ETag);
        seen.push(md5(bytes));
      }
      return seen;
    })();
    await Promise.all(bodies.map((Body) => s3.send(new PutObjectCommand({ Bucket, Key: 'hot', Body }))));
    writing = false;
    const seen = await reads;
    expect(seen.every((h) => valid.has(h))).toBe(true);
    const final = Buffer.from(
      await (await s3.send(new GetObjectCommand({ Bucket, Key: 'hot' }))).Body!.transformToByteArray(),
    );
    expect(valid.has(md5(final))).toBe(true);
    // Every replaced data file goes (in the background); only the winner's stays if it is large.
    const expected = final.length > INLINE_MAX ? 1 : 0;
    await waitFor(async () => ((await objectFiles(dir, Bucket)).length === expected ? true : undefined));
    s3.destroy();
    await emulator.stop();
  });

  it('leaves nothing behind when a client hangs up mid-upload (PUT and POST)', async () => {
    const dir = await dataDir();
    const emulator = await startTestEmulator({ dataDir: dir });
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('hangup');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const put = await openPut(emulator.url, Bucket, 'cut.bin', 4 * 1024 * 1024);
    put.write(randomBytes(INLINE_MAX + 512 * 1024));
    await waitFor(async () =>
      (await bucketFiles(dir, Bucket)).some((f) => f.startsWith('.tmp-')) ? true : undefined,
    );
    put.destroy();
    const { url, fields } = await createPresignedPost(s3, { Bucket, Key: 'cut-post.bin' });
    const post = await openPost(url, fields, 4 * 1024 * 1024);
    post.write(randomBytes(INLINE_MAX + 512 * 1024));
    await waitFor(async () =>
      (await bucketFiles(dir, Bucket)).some((f) => f.startsWith('.tmp-')) ? true : undefined,
    );
    post.destroy();
    await waitFor(async () => ((await objectFiles(dir, Bucket)).length === 0 ? true : undefined));
    for (const Key of ['cut.bin', 'cut-post.bin'])
      await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key })), 404, 'NotFound');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'after.txt', Body: 'still serving' }));
    s3.destroy();
    await emulator.stop();
  });

  it('discards a refused upload without a trace', async () => {
    const dir = await dataDir();
    const emulator = await startTestEmulator({ dataDir: dir });
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('refused');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await expectSdkError(
      s3.send(
        new PutObjectCommand({
          Bucket,
          Key: 'bad',
          Body: 'abc',
          ContentMD5: createHash('md5').update('xyz').digest('base64'),
        }),
      ),
      400,
      'BadDigest',
    );
    await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'bad' })), 404, 'NotFound');
    expect(await objectFiles(dir, Bucket)).toEqual([]);
    s3.destroy();
    await emulator.stop();
  });
});
