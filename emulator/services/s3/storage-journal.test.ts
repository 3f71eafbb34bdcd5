import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { INLINE_MAX } from './model/staging.ts';
import { expectSdkError, uniqueBucket } from './s3-test-kit.ts';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3-journal-'));
  dirs.push(dir);
  return dir;
}
const bucketDir = (dir: string, bucket: string) => join(dir, 's3', 'objects', bucket);

async function read(s3: S3Client, Bucket: string, Key: string, Range?: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket, Key, ...(Range ? { Range } : {}) }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

/** A browser-style POST upload with a fresh presigned form; resolves with the answer. */
async function post(s3: S3Client, Bucket: string, Key: string, body: Buffer): Promise<Response> {
  const { url, fields } = await createPresignedPost(s3, { Bucket, Key });
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([body]), 'f.bin');
  return fetch(url, { method: 'POST', body: form });
}

/** Restarts on the same data folder. */
async function restart(
  emulator: TestEmulator,
  dir: string,
): Promise<{ emulator: TestEmulator; s3: S3Client }> {
  await emulator.stopKeepingData();
  const next = await startTestEmulator({ dataDir: dir });
  return { emulator: next, s3: s3Client(next.url) };
}

describe('the object journal', () => {
  it('acknowledges 150 concurrent POST uploads (group commit) and keeps every one across a restart', async () => {
    const dir = await dataDir();
    let emulator = await startTestEmulator({ dataDir: dir });
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('group');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const bodies = Array.from({ length: 150 }, (_, i) =>
      randomBytes(i % 3 === 0 ? INLINE_MAX + 1000 : 1 + i * 37),
    );
    const answers = await Promise.all(bodies.map((body, i) => post(s3, Bucket, `many/${i}`, body)));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 204));
    expect(answers.map((a) => a.headers.get('etag'))).toEqual(bodies.map((b) => `"${md5(b)}"`));
    s3.destroy();
    ({ emulator, s3 } = await restart(emulator, dir));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1000 }));
    expect(listed.KeyCount).toBe(150);
    for (const [i, body] of bodies.entries())
      expect(md5(await read(s3, Bucket, `many/${i}`))).toBe(md5(body));
    s3.destroy();
    await emulator.stop();
  });

  it('keeps a 40 MiB upload (synced in the background while it arrives) intact, ranges included', async () => {
    const dir = await dataDir();
    let emulator = await startTestEmulator({ dataDir: dir });
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('large');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const body = Buffer.concat(Array.from({ length: 40 }, () => randomBytes(1024 * 1024)));
    const answer = await post(s3, Bucket, 'large.bin', body);
    expect([answer.status, answer.headers.get('etag')]).toEqual([204, `"${md5(body)}"`]);
    s3.destroy();
    ({ emulator, s3 } = await restart(emulator, dir));
    expect(md5(await read(s3, Bucket, 'large.bin'))).toBe(md5(body));
    const range = await read(s3, Bucket, 'large.bin', 'bytes=16777200-16777300');
    expect(range.equals(body.subarray(16_777_200, 16_777_301))).toBe(true);
    s3.destroy();
    await emulator.stop();
  });

  it('checks flexible checksums of a large PUT hashed off the main thread', async () => {
    const emulator = await startTestEmulator();
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('checksum');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const body = randomBytes(9 * 1024 * 1024 + 3);
    const sha256 = createHash('sha256').update(body).digest('base64');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'ok.bin', Body: body, ChecksumSHA256: sha256 }));
    expect(md5(await read(s3, Bucket, 'ok.bin'))).toBe(md5(body));
    const wrong = createHash('sha256').update('something else').digest('base64');
    await expectSdkError(
      s3.send(new PutObjectCommand({ Bucket, Key: 'bad.bin', Body: body, ChecksumSHA256: wrong })),
      400,
      'BadDigest',
    );
    s3.destroy();
    await emulator.stop();
  });

  it('serves small objects from the journal: ranges, empty bodies, copies, deletes', async () => {
    const emulator = await startTestEmulator();
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('inline');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const small = Buffer.from('0123456789abcdef');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'small', Body: small }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'empty', Body: '' }));
    expect((await read(s3, Bucket, 'small', 'bytes=3-5')).toString()).toBe('345');
    expect((await read(s3, Bucket, 'empty')).length).toBe(0);
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'small-copy', CopySource: `${Bucket}/small` }));
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'empty-copy', CopySource: `${Bucket}/empty` }));
    expect((await read(s3, Bucket, 'small-copy')).equals(small)).toBe(true);
    expect((await read(s3, Bucket, 'empty-copy')).length).toBe(0);
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'small' }));
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key);
    expect(keys).toEqual(['empty', 'empty-copy', 'small-copy']);
    s3.destroy();
    await emulator.stop();
  });

  it('cuts off a torn journal tail (a crash mid-append) and loses nothing acknowledged', async () => {
    const dir = await dataDir();
    let emulator = await startTestEmulator({ dataDir: dir });
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('torn');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const bodies = [randomBytes(10), randomBytes(2000), randomBytes(INLINE_MAX + 400_000)];
    for (const [i, Body] of bodies.entries())
      await s3.send(new PutObjectCommand({ Bucket, Key: `k${i}`, Body }));
    await emulator.stopKeepingData();
    const journal = join(bucketDir(dir, Bucket), 'journal.1.log');
    const before = (await stat(journal)).size;
    await appendFile(
      journal,
      Buffer.concat([Buffer.from('4c41424a00001000deadbeef', 'hex'), randomBytes(900)]),
    );
    emulator = await startTestEmulator({ dataDir: dir });
    s3 = s3Client(emulator.url);
    expect((await stat(journal)).size).toBe(before);
    for (const [i, body] of bodies.entries()) expect(md5(await read(s3, Bucket, `k${i}`))).toBe(md5(body));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'after', Body: 'after the cut' }));
    s3.destroy();
    ({ emulator, s3 } = await restart(emulator, dir));
    expect((await read(s3, Bucket, 'after')).toString()).toBe('after the cut');
    expect(md5(await read(s3, Bucket, 'k2'))).toBe(md5(bodies[2]!));
    s3.destroy();
    await emulator.stop();
  });

  it('compacts a journal that is mostly replaced objects, in use and at the next start', async () => {
    const dir = await dataDir();
    let emulator = await startTestEmulator({ dataDir: dir });
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('compact');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'stays', Body: 'unchanged' }));
    let last = Buffer.alloc(0);
    // 100 × 200 KiB over one key: 20 MiB of dead records, past the compaction threshold.
    for (let i = 0; i < 100; i++) {
      last = randomBytes(200 * 1024);
      await s3.send(new PutObjectCommand({ Bucket, Key: 'hot', Body: last }));
    }
    const files = async () => (await readdir(bucketDir(dir, Bucket))).sort();
    for (let i = 0; i < 100 && (await files()).includes('journal.1.log'); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const [journal] = (await files()).filter((f) => f.startsWith('journal.'));
    expect(journal).not.toBe('journal.1.log');
    expect((await stat(join(bucketDir(dir, Bucket), journal!))).size).toBeLessThan(16 * 1024 * 1024);
    expect(md5(await read(s3, Bucket, 'hot'))).toBe(md5(last));
    expect((await read(s3, Bucket, 'stays')).toString()).toBe('unchanged');
    s3.destroy();
    ({ emulator, s3 } = await restart(emulator, dir));
    expect(md5(await read(s3, Bucket, 'hot'))).toBe(md5(last));
    expect((await read(s3, Bucket, 'stays')).toString()).toBe('unchanged');
    s3.destroy();
    await emulator.stop();
  });

  it('moves objects of the first storage format (a .meta.json per object) into the journal', async () => {
    const dir = await dataDir();
    let emulator = await startTestEmulator({ dataDir: dir });
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('legacy');
    await s3.send(new CreateBucketCommand({ Bucket }));
    s3.destroy();
    await emulator.stopKeepingData();
    const folder = bucketDir(dir, Bucket);
    await rm(folder, { recursive: true });
    await mkdir(folder);
    const body = randomBytes(5000);
    const id = createHash('sha256').update('old/key.bin').digest('hex');
    await writeFile(join(folder, `${id}-0011223344556677.data`), body);
    await writeFile(
      join(folder, `${id}.meta.json`),
      JSON.stringify({
        key: 'old/key.bin',
        size: body.length,
        etag: md5(body),
        contentType: 'application/x-old',
        metadata: { from: 'v1' },
        headers: {},
        lastModified: '2026-01-02T03:04:05.000Z',
        dataFile: `${id}-0011223344556677.data`,
      }),
    );
    await writeFile(join(folder, `${id}-ffffffffffffffff.data`), 'an orphan');
    emulator = await startTestEmulator({ dataDir: dir });
    s3 = s3Client(emulator.url);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'old/key.bin' }));
    expect(md5(await got.Body!.transformToByteArray())).toBe(md5(body));
    expect([got.ContentType, got.Metadata, got.ETag]).toEqual([
      'application/x-old',
      { from: 'v1' },
      `"${md5(body)}"`,
    ]);
    expect((await readdir(folder)).sort()).toEqual([`${id}-0011223344556677.data`, 'journal.1.log']);
    s3.destroy();
    ({ emulator, s3 } = await restart(emulator, dir));
    expect(md5(await read(s3, Bucket, 'old/key.bin'))).toBe(md5(body));
    s3.destroy();
    await emulator.stop();
  });
});
