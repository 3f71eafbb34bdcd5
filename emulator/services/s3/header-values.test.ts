import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { signRequest } from '../../test-support/sign.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { sigV4Fields } from './post-test-kit.ts';
import { expectSdkError, expectXmlError, postForm, uniqueBucket } from './s3-test-kit.ts';

/**
 * Values that end up in response headers must fit in one (ISO-8859-1, no control characters):
 * a `response-*` override that does not is refused as S3 does, and so is a POST form field that
 * would be stored and returned later (regressions found by the wire fuzz: both were a 500, and a
 * stored one broke every later GET of the object).
 */
let emulator: TestEmulator;
let s3: S3Client;
const Bucket = uniqueBucket('header-values');
const MESSAGE = 'Header value cannot be represented using ISO-8859-1.';

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'hello' }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

const presignedGet = async (param: string, value: string) => {
  const { url } = await signRequest({
    url: `${emulator.url}/${Bucket}/a.txt?${param}=${encodeURIComponent(value)}`,
    service: 's3',
    method: 'GET',
    presignSeconds: 60,
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  return fetch(url);
};

describe('response-* overrides', () => {
  it.each([
    ['response-content-disposition', 'attachment; filename="微信图片.jpg"'],
    ['response-content-type', 'text/plain\u0000'],
    ['response-cache-control', 'no-store\u0001'],
  ])('%s outside ISO-8859-1 → 400 InvalidArgument naming it', async (param, value) => {
    await expectXmlError(await presignedGet(param, value), 400, 'InvalidArgument', MESSAGE, {
      ArgumentName: param,
      ArgumentValue: value,
    });
  });

  it('an ISO-8859-1 value is served as given', async () => {
    const response = await presignedGet('response-content-disposition', 'attachment; filename="café.txt"');
    expect(response.status).toBe(200);
    expect(Buffer.from(response.headers.get('content-disposition')!, 'latin1').toString('latin1')).toBe(
      'attachment; filename="café.txt"',
    );
    expect(await response.text()).toBe('hello');
  });
});

describe('POST form fields that S3 returns as headers', () => {
  it.each([
    ['Content-Type', 'text/plain\u0001'],
    ['Content-Disposition', 'attachment; filename="😀.txt"'],
    ['Cache-Control', 'max-age=60\u0000'],
  ])('%s outside ISO-8859-1 → 400 InvalidArgument, nothing stored', async (name, value) => {
    const key = `post-${name}`;
    const fields = { key, [name]: value, ...sigV4Fields([{ bucket: Bucket }, { key }, { [name]: value }]) };
    await expectXmlError(
      await postForm(`${emulator.url}/${Bucket}`, fields, 'x'),
      400,
      'InvalidArgument',
      MESSAGE,
      {
        ArgumentName: name.toLowerCase(),
      },
    );
    await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key: key })), 404, 'NotFound');
  });
});

describe('flexible checksums come back as response headers', () => {
  const put = (headers: Record<string, string>, body: string) =>
    signRequest({
      url: `${emulator.url}/${Bucket}/checksum.txt`,
      service: 's3',
      method: 'PUT',
      body,
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers },
    }).then(({ url, init }) => fetch(url, init));
  const chunked = (trailer: string) =>
    put(
      {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '11',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      `b\r\nhello world\r\n0\r\n${trailer}\r\n\r\n`,
    );

  it('a value that is not the base64 of a digest → 400 InvalidRequest, nothing stored', async () => {
    await expectXmlError(
      await put({ 'x-amz-checksum-crc32': 'not a checksum' }, 'hello world'),
      400,
      'InvalidRequest',
      'Value for x-amz-checksum-crc32 header is invalid.',
    );
    await expectXmlError(
      await chunked('x-amz-checksum-crc32:\u0001\u0002'),
      400,
      'InvalidRequest',
      'Value for x-amz-checksum-crc32 header is invalid.',
    );
    const fields = {
      key: 'posted',
      'x-amz-checksum-sha256': 'AAAA',
      ...sigV4Fields([{ bucket: Bucket }, { key: 'posted' }, { 'x-amz-checksum-sha256': 'AAAA' }]),
    };
    await expectXmlError(
      await postForm(`${emulator.url}/${Bucket}`, fields, 'x'),
      400,
      'InvalidRequest',
      'Value for x-amz-checksum-sha256 header is invalid.',
    );
    await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'checksum.txt' })), 404, 'NotFound');
    await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'posted' })), 404, 'NotFound');
  });

  it('a trailer whose name is no S3 algorithm is no checksum: stored, answered 200 without it', async () => {
    const response = await chunked('x-amz-checksum-cr\u00f0\u00b5c32:DUoRhQ==');
    expect(response.status, await response.text()).toBe(200);
    expect([...response.headers.keys()].filter((h) => h.startsWith('x-amz-checksum-'))).toEqual([]);
    const good = await chunked('x-amz-checksum-crc32:DUoRhQ==');
    expect(good.headers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
  });
});
