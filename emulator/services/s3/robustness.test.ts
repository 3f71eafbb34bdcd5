import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { signRequest } from '../../test-support/sign.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { compareUtf8 } from './model/key-index.ts';
import { sigV4Fields } from './post-test-kit.ts';
import { expectSdkError, expectXmlError, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
const Bucket = uniqueBucket('robust');
const md5b64 = (s: string) => createHash('md5').update(s).digest('base64');

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

describe('malformed input gets S3 errors, never a 5xx', () => {
  it('answers garbage configuration bodies with MalformedXML', async () => {
    for (const sub of ['cors', 'notification', 'publicAccessBlock', 'tagging']) {
      const body = '<<not xml';
      const response = await signedFetch(`${emulator.url}/${Bucket}?${sub}`, {
        method: 'PUT',
        body,
        headers: { 'content-md5': md5b64(body) },
      });
      await expectXmlError(
        response,
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    }
    const del = await signedFetch(`${emulator.url}/${Bucket}?delete`, {
      method: 'POST',
      body: '<Delete>',
      headers: { 'content-md5': md5b64('<Delete>') },
    });
    await expectXmlError(del, 400, 'MalformedXML', /not well-formed/);
  });

  it('refuses PutBucketCors without Content-MD5 or a checksum, and over-wild or too many rules', async () => {
    const rule = (origin: string) =>
      `<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>${origin}</AllowedOrigin></CORSRule>`;
    const doc = (rules: string) => `<CORSConfiguration>${rules}</CORSConfiguration>`;
    const put = (body: string, md5 = true) =>
      signedFetch(`${emulator.url}/${Bucket}?cors`, {
        method: 'PUT',
        body,
        headers: md5 ? { 'content-md5': md5b64(body) } : {},
      });
    await expectXmlError(
      await put(doc(rule('*')), false),
      400,
      'InvalidRequest',
      'Missing required header for this request: Content-MD5',
    );
    await expectXmlError(
      await put(doc(rule('http://*.*.test'))),
      400,
      'InvalidRequest',
      'AllowedOrigin "http://*.*.test" can not have more than one wildcard.',
    );
    await expectXmlError(
      await put(doc(rule('*').repeat(101))),
      400,
      'InvalidRequest',
      'The CORS configuration can have at most 100 rules.',
    );
  });

  it('answers broken multipart bodies with MalformedPOSTRequest, storing nothing', async () => {
    const message = 'The body of your POST request is not well-formed multipart/form-data.';
    const noBoundary = await fetch(`${emulator.url}/${Bucket}`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body: 'no boundary',
    });
    await expectXmlError(noBoundary, 400, 'MalformedPOSTRequest', message);
    // A correctly signed form whose body ends in the middle of the file (no closing boundary).
    const fields = { key: 'truncated.txt', ...sigV4Fields([{ bucket: Bucket }, { key: 'truncated.txt' }]) };
    const boundary = 'xyz';
    const body =
      Object.entries(fields)
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
        .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\npartial`;
    const cut = await fetch(`${emulator.url}/${Bucket}`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    await expectXmlError(cut, 400, 'MalformedPOSTRequest', message);
    await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'truncated.txt' })), 404, 'NotFound');
  });

  it('answers odd paths and methods with S3 errors', async () => {
    await expectXmlError(
      await signedFetch(`${emulator.url}/%ZZ/key`),
      404,
      'NoSuchBucket',
      'The specified bucket does not exist',
    );
    await expectXmlError(
      await signedFetch(`${emulator.url}/..%2F..%2Fetc/passwd`),
      404,
      'NoSuchBucket',
      'The specified bucket does not exist',
    );
    await expectXmlError(
      await signedFetch(`${emulator.url}/${Bucket}/k`, { method: 'PATCH', body: 'x' }),
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
      { Method: 'PATCH', ResourceType: 'OBJECT' },
    );
    const framed = await signedFetch(`${emulator.url}/${Bucket}/chunked`, {
      method: 'PUT',
      body: 'zz;chunk-signature=0\r\nbroken',
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '6' },
    });
    expect(framed.status).toBe(400);
  });

  it('refuses a presigned URL whose X-Amz-Expires is 0, negative or over a week (403)', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'presigned.txt', Body: 'via query auth' }));
    const { url } = await signRequest({
      url: `${emulator.url}/${Bucket}/presigned.txt`,
      service: 's3',
      method: 'GET',
      presignSeconds: 60,
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const ok = await fetch(url);
    expect(await ok.text()).toBe('via query auth');
    for (const [value, message] of [
      ['0', 'X-Amz-Expires must be non-negative'],
      ['-5', 'X-Amz-Expires must be non-negative'],
      ['604801', 'X-Amz-Expires must be less than a week (in seconds) that is; 604800'],
    ]) {
      const response = await fetch(url.replace(/X-Amz-Expires=\d+/, `X-Amz-Expires=${value}`));
      await expectXmlError(response, 403, 'AuthorizationQueryParametersError', message!);
    }
  });
});

describe('keys round-trip whatever their characters', () => {
  it('stores, reads and lists arbitrary printable keys in UTF-8 order', async () => {
    const printable = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
      .filter((k) => !/[\p{Cc}\p{Cs}]/u.test(k) && Buffer.byteLength(k) <= 1024);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(printable, { minLength: 1, maxLength: 6 }), async (names) => {
        const prefix = `fuzz-${Math.random().toString(36).slice(2)}/`;
        const keys = names.map((n) => prefix + n);
        for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
        for (const Key of keys)
          expect(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString()).toBe(
            Key,
          );
        const listed = (await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }))).Contents?.map(
          (c) => c.Key,
        );
        expect(listed).toEqual([...keys].sort(compareUtf8));
      }),
      { numRuns: 15 },
    );
  });
});
