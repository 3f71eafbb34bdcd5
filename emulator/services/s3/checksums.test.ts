import { randomBytes } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Crc64Nvme as SdkCrc64Nvme } from '@aws-sdk/checksums/crc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { sigV4Fields } from './post-test-kit.ts';
import { expectXmlError, postForm, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let Bucket: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  Bucket = uniqueBucket('sum');
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

/** The SDK's own CRC64NVME, as an independent reference. */
async function reference(bytes: Uint8Array): Promise<string> {
  const crc = new SdkCrc64Nvme();
  crc.update(bytes);
  return Buffer.from(await crc.digest()).toString('base64');
}

/** A PUT with no flexible checksum at all (as SDKs before December 2024 sent it). */
const rawPut = (key: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  signedFetch(`${emulator.url}/${Bucket}/${key}`, { method: 'PUT', body, headers });

const head = (Key: string, enabled = true) =>
  s3.send(new HeadObjectCommand({ Bucket, Key, ...(enabled ? { ChecksumMode: 'ENABLED' as const } : {}) }));

describe('default checksums (CRC64NVME, FULL_OBJECT)', () => {
  it('adds CRC64NVME to an object sent without a checksum, shown on HEAD/GET only when asked', async () => {
    const put = await rawPut('plain', 'test data..');
    expect(put.status).toBe(200);
    // The value recorded against AWS for this body [§9.5].
    expect(put.headers.get('x-amz-checksum-crc64nvme')).toBe('qUVrWYOrIAM=');
    expect(put.headers.get('x-amz-checksum-type')).toBe('FULL_OBJECT');

    const plain = await head('plain', false);
    expect([plain.ChecksumCRC64NVME, plain.ChecksumType]).toEqual([undefined, undefined]);
    const asked = await head('plain');
    expect([asked.ChecksumCRC64NVME, asked.ChecksumType]).toEqual(['qUVrWYOrIAM=', 'FULL_OBJECT']);
    const lower = await signedFetch(`${emulator.url}/${Bucket}/plain`, {
      headers: { 'x-amz-checksum-mode': 'enabled' },
    });
    expect(lower.headers.get('x-amz-checksum-crc64nvme')).toBe('qUVrWYOrIAM=');
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'plain', ChecksumMode: 'ENABLED' }));
    expect(await got.Body!.transformToString()).toBe('test data..');
    expect(got.ChecksumCRC64NVME).toBe('qUVrWYOrIAM=');

    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'plain' }));
    expect(listed.Contents?.[0]?.ChecksumAlgorithm).toEqual(['CRC64NVME']);
  });

  it('computes it for a large body hashed on the worker thread, and keeps it over a restart', async () => {
    const body = randomBytes(9 * 1024 * 1024 + 3);
    const put = await rawPut('large', body);
    expect(put.status).toBe(200);
    expect(put.headers.get('x-amz-checksum-crc64nvme')).toBe(await reference(body));
    const small = randomBytes(300_000);
    expect((await rawPut('small', small)).headers.get('x-amz-checksum-crc64nvme')).toBe(
      await reference(small),
    );

    const dataDir = emulator.dataDir;
    s3.destroy();
    await emulator.stopKeepingData();
    emulator = await startTestEmulator({ dataDir });
    s3 = s3Client(emulator.url);
    expect((await head('large')).ChecksumCRC64NVME).toBe(await reference(body));
  });

  it('keeps the algorithm a client sent (SDK v3 sends CRC32)', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'sdk', Body: 'from the SDK' }));
    expect(put.ChecksumCRC32).toBeDefined();
    expect(put.ChecksumCRC64NVME).toBeUndefined();
    const asked = await head('sdk');
    expect([asked.ChecksumCRC32, asked.ChecksumCRC64NVME, asked.ChecksumType]).toEqual([
      put.ChecksumCRC32,
      undefined,
      'FULL_OBJECT',
    ]);
    const value = await reference(Buffer.from('sent'));
    const sent = await rawPut('sent', 'sent', { 'x-amz-checksum-crc64nvme': value });
    expect(sent.headers.get('x-amz-checksum-crc64nvme')).toBe(value);
  });

  it('recomputes on CopyObject, in the source algorithm', async () => {
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/plain` }),
    );
    expect(copied.CopyObjectResult?.ChecksumCRC64NVME).toBe('qUVrWYOrIAM=');
    expect(copied.CopyObjectResult?.ChecksumType).toBe('FULL_OBJECT');
    const fromSdk = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'copy32', CopySource: `${Bucket}/sdk` }),
    );
    expect(fromSdk.CopyObjectResult?.ChecksumCRC32).toBe((await head('sdk')).ChecksumCRC32);
    expect((await head('copy32')).ChecksumCRC32).toBe((await head('sdk')).ChecksumCRC32);
  });

  it('returns the checksum in GetObjectAttributes without a checksum mode', async () => {
    const got = await s3.send(
      new GetObjectAttributesCommand({
        Bucket,
        Key: 'plain',
        ObjectAttributes: ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'],
      }),
    );
    expect(got.Checksum).toEqual({ ChecksumCRC64NVME: 'qUVrWYOrIAM=', ChecksumType: 'FULL_OBJECT' });
    expect([got.ObjectSize, got.StorageClass, got.ObjectParts]).toEqual([11, 'STANDARD', undefined]);
    expect(got.ETag).toMatch(/^[0-9a-f]{32}$/);
    await expectXmlError(
      await signedFetch(`${emulator.url}/${Bucket}/plain?attributes`, {
        headers: { 'x-amz-object-attributes': 'Size' },
      }),
      400,
      'InvalidArgument',
      'Invalid attribute name specified.',
      { ArgumentName: 'x-amz-object-attributes', ArgumentValue: 'Size' },
    );
    await expectXmlError(
      await signedFetch(`${emulator.url}/${Bucket}/nope?attributes`, {
        headers: { 'x-amz-object-attributes': 'ETag' },
      }),
      404,
      'NoSuchKey',
      'The specified key does not exist.',
    );
  });

  it('answers a POST upload without a checksum with its CRC64NVME', async () => {
    const fields = { key: 'posted', ...sigV4Fields([{ bucket: Bucket }, { key: 'posted' }]) };
    const response = await postForm(`${emulator.url}/${Bucket}`, fields, 'test data..');
    expect(response.status, await response.clone().text()).toBe(204);
    expect(response.headers.get('x-amz-checksum-crc64nvme')).toBe('qUVrWYOrIAM=');
    expect(response.headers.get('x-amz-checksum-type')).toBe('FULL_OBJECT');
    expect((await head('posted')).ChecksumCRC64NVME).toBe('qUVrWYOrIAM=');
  });

  it("refuses a bad checksum in AWS's words, and stores nothing", async () => {
    await expectXmlError(
      await rawPut('bad', 'x', { 'x-amz-checksum-crc64nvme': 'abc' }),
      400,
      'InvalidRequest',
      'Value for x-amz-checksum-crc64nvme header is invalid.',
    );
    await expectXmlError(
      await rawPut('bad', 'x', { 'x-amz-checksum-crc64nvme': 'qUVrWYOrIAM=' }),
      400,
      'BadDigest',
      'The CRC64NVME you specified did not match the calculated checksum.',
    );
    await expectXmlError(
      await rawPut('bad', 'x', { 'x-amz-checksum-crc32': 'AAAAAA==' }),
      400,
      'BadDigest',
      'The CRC32 you specified did not match the calculated checksum.',
    );
    await expectXmlError(
      await rawPut('bad', 'x', {
        'x-amz-checksum-crc32': 'AAAAAA==',
        'x-amz-checksum-sha1': 'C2s9j9yHgpzKDp0ZZ+iMd1OF7F0=',
      }),
      400,
      'InvalidRequest',
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
    expect((await signedFetch(`${emulator.url}/${Bucket}/bad`, { method: 'HEAD' })).status).toBe(404);
  });
});
