import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '../../../storage/crc32c.ts';
import { s3Client } from '../../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { expectXmlError } from '../s3-test-kit.ts';
import {
  completeBody,
  MIB,
  newBucket,
  putPart,
  s3Fetch,
  startUpload,
  xmlField,
} from './multipart-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  bucket = await newBucket(s3, 'mpu-sum');
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

const call = (method: string, path: string, options: Parameters<typeof s3Fetch>[3] = {}) =>
  s3Fetch(emulator.url, method, `/${bucket}/${path}`, options);
const b64 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out.toString('base64');
};
const crc32Of = (s: string) => b64(crc32(Buffer.from(s)));
const sha256Of = (s: string) => createHash('sha256').update(s).digest('base64');
const head = (Key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: bucket, Key, ChecksumMode: 'ENABLED' }));

describe('checksums of multipart uploads (§9.2)', () => {
  it('checks the algorithm and type of CreateMultipartUpload and defaults the type', async () => {
    const create = (headers: Record<string, string>) => call('POST', 'c?uploads', { headers });
    const cases: Array<[Record<string, string>, string]> = [
      [
        { 'x-amz-checksum-algorithm': 'SHA1', 'x-amz-checksum-type': 'FULL_OBJECT' },
        'The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.',
      ],
      [
        { 'x-amz-checksum-algorithm': 'SHA256', 'x-amz-checksum-type': 'FULL_OBJECT' },
        'The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.',
      ],
      [
        { 'x-amz-checksum-algorithm': 'CRC64NVME', 'x-amz-checksum-type': 'COMPOSITE' },
        'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.',
      ],
      [
        { 'x-amz-checksum-type': 'COMPOSITE' },
        'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
      ],
      [
        { 'x-amz-checksum-algorithm': 'MD4' },
        'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
      ],
    ];
    for (const [headers, message] of cases)
      await expectXmlError(await create(headers), 400, 'InvalidRequest', message);
    for (const [algorithm, type] of [
      ['CRC32', 'COMPOSITE'],
      ['SHA256', 'COMPOSITE'],
      ['CRC64NVME', 'FULL_OBJECT'],
    ]) {
      const res = await create({ 'x-amz-checksum-algorithm': algorithm! });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-amz-checksum-algorithm')).toBe(algorithm);
      expect(res.headers.get('x-amz-checksum-type')).toBe(type);
    }
  });

  it('COMPOSITE CRC32: parts get their checksum, Complete must list each, the object has the CRC of the CRCs', async () => {
    const part = 'a'.repeat(5 * MIB + 1);
    const id = await startUpload(emulator.url, bucket, 'composite', { 'x-amz-checksum-algorithm': 'CRC32' });
    await expectXmlError(
      await call('PUT', `composite?partNumber=1&uploadId=${id}`, {
        body: 'x',
        headers: { 'x-amz-checksum-crc32c': crc32c(Buffer.from('x')).toString('base64') },
      }),
      400,
      'InvalidRequest',
      'Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum Type: crc32c',
    );
    // A part sent without a checksum gets one computed; the answer carries it.
    const first = await call('PUT', `composite?partNumber=1&uploadId=${id}`, { body: part });
    expect(first.headers.get('x-amz-checksum-crc32')).toBe(crc32Of(part));
    const etag = first.headers.get('etag')!;
    const parts = [1, 2, 3].map((n) => ({ n, etag, extra: { ChecksumCRC32: crc32Of(part) } }));
    for (const n of [2, 3])
      await putPart(emulator.url, bucket, 'composite', id, n, part, {
        'x-amz-checksum-crc32': crc32Of(part),
      });
    const list = await (await call('GET', `composite?uploadId=${id}`)).text();
    expect(xmlField(list, 'ChecksumCRC32')).toBe(crc32Of(part));
    expect(xmlField(list, 'ChecksumType')).toBe('COMPOSITE');

    await expectXmlError(
      await call('POST', `composite?uploadId=${id}`, {
        body: completeBody([{ n: 1, etag }, ...parts.slice(1)]),
      }),
      400,
      'InvalidRequest',
      'The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.',
    );
    await expectXmlError(
      await call('POST', `composite?uploadId=${id}`, {
        body: completeBody([{ n: 1, etag, extra: { ChecksumCRC32: crc32Of('other') } }, ...parts.slice(1)]),
      }),
      400,
      'InvalidPart',
      /could not be found/,
      { PartNumber: '1' },
    );
    const done = await call('POST', `composite?uploadId=${id}`, { body: completeBody(parts) });
    const text = await done.text();
    expect(done.status, text).toBe(200);
    // §9.2 [REC + CALC]: three parts of 5 MiB + 1 `a`.
    expect(xmlField(text, 'ETag')).toBe('&quot;c7cb0938a47e31f70cf07028d22e6913-3&quot;');
    const composite = `${b64(crc32(Buffer.concat([1, 2, 3].map(() => Buffer.from(crc32Of(part), 'base64')))))}-3`;
    // (§9.2's `5FRUiw==-3` is another recording's data: these parts give `lkjLOw==-3` by the same rule.)
    expect(composite).toBe('lkjLOw==-3');
    expect(xmlField(text, 'ChecksumCRC32')).toBe(composite);
    expect(xmlField(text, 'ChecksumType')).toBe('COMPOSITE');
    const h = await head('composite');
    expect([h.ChecksumCRC32, h.ChecksumType, h.ETag]).toEqual([
      composite,
      'COMPOSITE',
      '"c7cb0938a47e31f70cf07028d22e6913-3"',
    ]);
  });

  it('COMPOSITE SHA256: a wrong part checksum is BadDigest', async () => {
    const id = await startUpload(emulator.url, bucket, 'sha', { 'x-amz-checksum-algorithm': 'SHA256' });
    const etag = await putPart(emulator.url, bucket, 'sha', id, 1, 'body');
    await expectXmlError(
      await call('POST', `sha?uploadId=${id}`, {
        body: completeBody([{ n: 1, etag, extra: { ChecksumSHA256: sha256Of('other') } }]),
      }),
      400,
      'BadDigest',
      'The sha256 you specified for part 1 did not match what we received.',
    );
    const ok = await call('POST', `sha?uploadId=${id}`, {
      body: completeBody([{ n: 1, etag, extra: { ChecksumSHA256: sha256Of('body') } }]),
    });
    const text = await ok.text();
    expect(xmlField(text, 'ChecksumSHA256')).toBe(
      `${createHash('sha256')
        .update(Buffer.from(sha256Of('body'), 'base64'))
        .digest('base64')}-1`,
    );
  });

  it('FULL_OBJECT CRC32C: the whole-object checksum is computed and checked, the mode must match', async () => {
    const id = await startUpload(emulator.url, bucket, 'full', {
      'x-amz-checksum-algorithm': 'CRC32C',
      'x-amz-checksum-type': 'FULL_OBJECT',
    });
    const one = 'x'.repeat(5 * MIB);
    const parts = [
      { n: 1, etag: await putPart(emulator.url, bucket, 'full', id, 1, one) },
      { n: 2, etag: await putPart(emulator.url, bucket, 'full', id, 2, 'the end') },
    ];
    const whole = crc32c(Buffer.from(one + 'the end')).toString('base64');
    await expectXmlError(
      await call('POST', `full?uploadId=${id}`, {
        body: completeBody(parts),
        headers: { 'x-amz-checksum-type': 'COMPOSITE' },
      }),
      400,
      'InvalidRequest',
      'The upload was created using the FULL_OBJECT checksum mode. The complete request must use the same checksum mode.',
    );
    await expectXmlError(
      await call('POST', `full?uploadId=${id}`, {
        body: completeBody(parts),
        headers: { 'x-amz-checksum-crc32c': crc32c(Buffer.from('nope')).toString('base64') },
      }),
      400,
      'BadDigest',
      'The crc32c you specified did not match the calculated checksum.',
    );
    const ok = await call('POST', `full?uploadId=${id}`, {
      body: completeBody(parts),
      headers: { 'x-amz-checksum-crc32c': whole, 'x-amz-checksum-type': 'FULL_OBJECT' },
    });
    const text = await ok.text();
    expect(ok.status, text).toBe(200);
    expect([xmlField(text, 'ChecksumCRC32C'), xmlField(text, 'ChecksumType')]).toEqual([
      whole,
      'FULL_OBJECT',
    ]);
    const h = await head('full');
    expect([h.ChecksumCRC32C, h.ChecksumType]).toEqual([whole, 'FULL_OBJECT']);
  });

  it('without an algorithm: no part checksums listed or accepted at Complete; the object gets CRC64NVME', async () => {
    const id = await startUpload(emulator.url, bucket, 'plain');
    const etag = await putPart(emulator.url, bucket, 'plain', id, 1, 'aaa', {
      'x-amz-checksum-crc32': crc32Of('aaa'),
    });
    const list = await (await call('GET', `plain?uploadId=${id}`)).text();
    expect(list).not.toContain('Checksum');
    await expectXmlError(
      await call('POST', `plain?uploadId=${id}`, {
        body: completeBody([{ n: 1, etag, extra: { ChecksumCRC32: crc32Of('aaa') } }]),
      }),
      400,
      'InvalidPart',
      /could not be found/,
    );
    await expectXmlError(
      await call('POST', `plain?uploadId=${id}`, {
        body: completeBody([{ n: 1, etag }]),
        headers: { 'x-amz-checksum-type': 'FULL_OBJECT' },
      }),
      400,
      'InvalidRequest',
      'The upload was created using the null checksum mode. The complete request must use the same checksum mode.',
    );
    // A whole-object checksum header is ignored here.
    const ok = await call('POST', `plain?uploadId=${id}`, {
      body: completeBody([{ n: 1, etag }]),
      headers: { 'x-amz-checksum-crc32': crc32Of('other') },
    });
    expect(ok.status).toBe(200);
    const h = await head('plain');
    expect([h.ChecksumCRC64NVME, h.ChecksumType]).toEqual(['Rnr2/5P7Gsk=', 'FULL_OBJECT']);
  });
});
