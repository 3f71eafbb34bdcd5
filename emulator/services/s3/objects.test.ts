import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, expectXmlError, signedFetch, uniqueBucket } from './s3-test-kit.ts';

/** Resolves every name (here `<bucket>.localhost`) to loopback, as browsers do for *.localhost. */
const loopback = ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) =>
  options.all
    ? cb(null, [{ address: '127.0.0.1', family: 4 }])
    : cb(null, '127.0.0.1', 4)) as unknown as LookupFunction;

let emulator: TestEmulator;
let s3: S3Client;
const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

describe('objects', () => {
  const Bucket = uniqueBucket('objects');
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket }));
  });

  it('puts and gets with content type, user metadata and an MD5 ETag', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'dir/a b+c.txt',
        Body: 'hello world',
        ContentType: 'text/plain',
        Metadata: { 'original-name': 'a%20b.txt' },
        CacheControl: 'no-cache',
      }),
    );
    expect(put.ETag).toBe(`"${md5('hello world')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/a b+c.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello world');
    expect(got.ContentType).toBe('text/plain');
    expect(got.Metadata).toEqual({ 'original-name': 'a%20b.txt' });
    expect(got.CacheControl).toBe('no-cache');
    expect(got.ETag).toBe(put.ETag);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dir/a b+c.txt' }));
    expect(head.ContentLength).toBe(11);
    expect(head.LastModified).toBeInstanceOf(Date);
  });

  it('DeleteObjects deletes keys that are or end in whitespace, as written', async () => {
    const keys = [' ', ' lead', 'trail '];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
    );
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual([...keys].sort());
    for (const Key of keys)
      await expect(s3.send(new HeadObjectCommand({ Bucket, Key }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
  });

  it('defaults the content type to binary/octet-stream', async () => {
    const put = await signedFetch(`${emulator.url}/${Bucket}/bin`, {
      method: 'PUT',
      body: Buffer.from([0, 1, 2, 255]),
    });
    expect(put.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'bin' }));
    expect(got.ContentType).toBe('binary/octet-stream');
    expect([...(await got.Body!.transformToByteArray())]).toEqual([0, 1, 2, 255]);
  });

  it('streams a body of unknown content (aws-chunked with a trailing checksum)', async () => {
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const whole = Buffer.concat(chunks);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'stream',
        Body: Readable.from(chunks),
        ContentLength: whole.length,
      }),
    );
    // The SDK sent its CRC32 as an aws-chunked trailer; S3 verified it and echoes it.
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(whole));
    expect(put.ChecksumCRC32).toBe(crc.toString('base64'));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'stream' }));
    expect(head.ContentLength).toBe(whole.length);
    expect(head.ETag).toBe(`"${md5(whole)}"`);
  });

  it('serves ranges, and refuses an unsatisfiable one', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'range', Body: '0123456789' }));
    const part = await s3.send(new GetObjectCommand({ Bucket, Key: 'range', Range: 'bytes=2-5' }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe('bytes 2-5/10');
    expect(await part.Body!.transformToString()).toBe('2345');
    const tail = await s3.send(new GetObjectCommand({ Bucket, Key: 'range', Range: 'bytes=-3' }));
    expect(await tail.Body!.transformToString()).toBe('789');
    await expectSdkError(
      s3.send(new GetObjectCommand({ Bucket, Key: 'range', Range: 'bytes=10-' })),
      416,
      'InvalidRange',
      'The requested range is not satisfiable',
      { ActualObjectSize: '10', RangeRequested: 'bytes=10-' },
    );
  });

  it('answers NoSuchKey with the key, and deletes idempotently', async () => {
    await expectSdkError(
      s3.send(new GetObjectCommand({ Bucket, Key: 'missing/key' })),
      404,
      'NoSuchKey',
      'The specified key does not exist.',
      { Key: 'missing/key' },
    );
    await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'missing/key' })), 404, 'NotFound');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'gone', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone' }));
    await expectSdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'gone' })), 404, 'NoSuchKey');
  });

  it('deletes several objects at once', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'many/1', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'many/2', Body: '2' }));
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: 'many/1' }, { Key: 'many/2' }, { Key: 'many/none' }] },
      }),
    );
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual(['many/1', 'many/2', 'many/none']);
    expect((await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'many/' }))).KeyCount).toBe(0);
  });

  it('copies an object with its metadata', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'src',
        Body: 'copy me',
        ContentType: 'text/x-src',
        Metadata: { a: '1' },
      }),
    );
    const copy = await s3.send(new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src` }));
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5('copy me')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dst' }));
    expect([got.ContentType, got.Metadata, await got.Body!.transformToString()]).toEqual([
      'text/x-src',
      { a: '1' },
      'copy me',
    ]);
  });

  it('refuses a body whose SHA-256 does not match x-amz-content-sha256', async () => {
    const wrong = 'a'.repeat(64);
    const response = await signedFetch(`${emulator.url}/${Bucket}/sha`, {
      method: 'PUT',
      body: 'payload',
      headers: { 'x-amz-content-sha256': wrong },
    });
    await expectXmlError(
      response,
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      {
        ClientComputedContentSHA256: wrong,
        S3ComputedContentSHA256: createHash('sha256').update('payload').digest('hex'),
      },
    );
    await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'sha' })), 404, 'NotFound');
  });

  it('refuses a body whose Content-MD5 does not match', async () => {
    const response = await signedFetch(`${emulator.url}/${Bucket}/md5`, {
      method: 'PUT',
      body: 'payload',
      headers: { 'content-md5': createHash('md5').update('other').digest('base64') },
    });
    await expectXmlError(
      response,
      400,
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.',
    );
  });

  it('accepts virtual-host addressing (Host: <bucket>.localhost)', async () => {
    // Node cannot resolve *.localhost, so the agent resolves it to loopback like a browser does.
    const httpAgent = new Agent({ lookup: loopback });
    const vhost = new S3Client({ ...clientConfig(emulator.url), requestHandler: { httpAgent } });
    await vhost.send(new PutObjectCommand({ Bucket, Key: 'vhost/key.txt', Body: 'virtual' }));
    const got = await vhost.send(new GetObjectCommand({ Bucket, Key: 'vhost/key.txt' }));
    expect(await got.Body!.transformToString()).toBe('virtual');
    vhost.destroy();
  });
});
