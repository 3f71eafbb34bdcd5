import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { expectXmlError } from '../s3-test-kit.ts';
import { completeBody, MIB, newBucket, putPart, s3Fetch, startUpload } from './multipart-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let bucket: string;
const NO_SUCH_UPLOAD =
  'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.';
const INVALID_PART =
  "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";
const FIVE_MIB = 'a'.repeat(5 * MIB);

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  bucket = await newBucket(s3);
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

const call = (method: string, path: string, options: Parameters<typeof s3Fetch>[3] = {}) =>
  s3Fetch(emulator.url, method, `/${bucket}/${path}`, options);

describe('multipart upload errors (§9.2)', () => {
  it('refuses a part number outside 1..10000 with InvalidArgument', async () => {
    const id = await startUpload(emulator.url, bucket, 'numbers');
    for (const n of ['-1', '0', '10001', 'x', ''])
      await expectXmlError(
        await call('PUT', `numbers?partNumber=${n}&uploadId=${id}`, { body: 'x' }),
        400,
        'InvalidArgument',
        'Part number must be an integer between 1 and 10000, inclusive',
        { ArgumentName: 'partNumber', ArgumentValue: n },
      );
    expect((await call('PUT', `numbers?partNumber=10000&uploadId=${id}`, { body: 'x' })).status).toBe(200);
  });

  it('answers NoSuchUpload for an unknown, aborted or completed upload, and for another key', async () => {
    const check = async (res: Response, id: string) =>
      expectXmlError(res, 404, 'NoSuchUpload', NO_SUCH_UPLOAD, { UploadId: id });
    await check(await call('PUT', 'k?partNumber=1&uploadId=nope', { body: 'x' }), 'nope');
    await check(await call('GET', 'k?uploadId=nope'), 'nope');
    await check(await call('DELETE', 'k?uploadId=nope'), 'nope');
    await check(
      await call('POST', 'k?uploadId=nope', { body: completeBody([{ n: 1, etag: '"x"' }]) }),
      'nope',
    );

    const aborted = await startUpload(emulator.url, bucket, 'k');
    await check(await call('GET', `other-key?uploadId=${aborted}`), aborted);
    const abort = await call('DELETE', `k?uploadId=${aborted}`);
    expect(abort.status).toBe(204);
    await check(await call('GET', `k?uploadId=${aborted}`), aborted);
    await check(await call('DELETE', `k?uploadId=${aborted}`), aborted);

    const completed = await startUpload(emulator.url, bucket, 'k');
    const etag = await putPart(emulator.url, bucket, 'k', completed, 1, 'one');
    const done = await call('POST', `k?uploadId=${completed}`, { body: completeBody([{ n: 1, etag }]) });
    expect(done.status, await done.text()).toBe(200);
    await check(await call('PUT', `k?partNumber=2&uploadId=${completed}`, { body: 'x' }), completed);
    await check(
      await call('POST', `k?uploadId=${completed}`, { body: completeBody([{ n: 1, etag }]) }),
      completed,
    );
  });

  it('needs at least one part, in ascending order, each uploaded with that ETag', async () => {
    const id = await startUpload(emulator.url, bucket, 'order');
    const one = await putPart(emulator.url, bucket, 'order', id, 1, FIVE_MIB);
    const two = await putPart(emulator.url, bucket, 'order', id, 2, 'tail');
    const complete = (body: string) => call('POST', `order?uploadId=${id}`, { body });
    await expectXmlError(
      await complete('<CompleteMultipartUpload></CompleteMultipartUpload>'),
      400,
      'InvalidRequest',
      'You must specify at least one part',
    );
    await expectXmlError(
      await complete(
        completeBody([
          { n: 2, etag: two },
          { n: 1, etag: one },
        ]),
      ),
      400,
      'InvalidPartOrder',
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
      { UploadId: id },
    );
    await expectXmlError(
      await complete(completeBody([{ n: 3, etag: two }])),
      400,
      'InvalidPart',
      INVALID_PART,
      {
        UploadId: id,
        PartNumber: '3',
        ETag: two,
      },
    );
    await expectXmlError(
      await complete(
        completeBody([
          { n: 1, etag: one },
          { n: 2, etag: '"0123456789abcdef0123456789abcdef"' },
        ]),
      ),
      400,
      'InvalidPart',
      INVALID_PART,
      { PartNumber: '2', ETag: '"0123456789abcdef0123456789abcdef"' },
    );
    await expectXmlError(await complete('<Nope/>'), 400, 'MalformedXML', /not well-formed/);
    // The upload is still there after every refusal.
    expect(
      (
        await complete(
          completeBody([
            { n: 1, etag: one },
            { n: 2, etag: two },
          ]),
        )
      ).status,
    ).toBe(200);
  });

  it('refuses a part under 5 MiB unless it is the last (EntityTooSmall, at Complete)', async () => {
    const id = await startUpload(emulator.url, bucket, 'small');
    const one = await putPart(emulator.url, bucket, 'small', id, 1, 'aaaa');
    const two = await putPart(emulator.url, bucket, 'small', id, 2, 'bbbb');
    await expectXmlError(
      await call('POST', `small?uploadId=${id}`, {
        body: completeBody([
          { n: 1, etag: one },
          { n: 2, etag: two },
        ]),
      }),
      400,
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
      { ProposedSize: '4', MinSizeAllowed: '5242880', PartNumber: '1', ETag: one.replaceAll('"', '') },
    );
    // One small part alone is the last part: allowed.
    const done = await call('POST', `small?uploadId=${id}`, { body: completeBody([{ n: 2, etag: two }]) });
    expect(done.status).toBe(200);
  });

  it('allows gaps between part numbers', async () => {
    const id = await startUpload(emulator.url, bucket, 'gaps');
    const parts = [];
    for (const n of [2, 3, 4])
      parts.push({ n, etag: await putPart(emulator.url, bucket, 'gaps', id, n, n < 4 ? FIVE_MIB : 'end') });
    const res = await call('POST', `gaps?uploadId=${id}`, { body: completeBody(parts) });
    expect(res.status, await res.text()).toBe(200);
  });

  it('checks x-amz-mp-object-size against the parts', async () => {
    const id = await startUpload(emulator.url, bucket, 'sized');
    const etag = await putPart(emulator.url, bucket, 'sized', id, 1, 'four');
    await expectXmlError(
      await call('POST', `sized?uploadId=${id}`, {
        body: completeBody([{ n: 1, etag }]),
        headers: { 'x-amz-mp-object-size': '5' },
      }),
      400,
      'InvalidRequest',
      "The provided 'x-amz-mp-object-size' header value 5 does not match what was computed: 4",
    );
    const ok = await call('POST', `sized?uploadId=${id}`, {
      body: completeBody([{ n: 1, etag }]),
      headers: { 'x-amz-mp-object-size': '4' },
    });
    expect(ok.status).toBe(200);
  });

  it('refuses an UploadPartCopy range that is not bytes=first-last within the source', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'ten', Body: '0123456789' }));
    const id = await startUpload(emulator.url, bucket, 'copied');
    const copy = (range: string) =>
      call('PUT', `copied?partNumber=1&uploadId=${id}`, {
        headers: { 'x-amz-copy-source': `/${bucket}/ten`, 'x-amz-copy-source-range': range },
      });
    const syntax =
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy';
    for (const range of [
      '0-8',
      'bytes=1-0',
      'bytes=-1-',
      'bytes=1-',
      'bytes=-2',
      'bytes=0-1,3-4',
      'bytes=a-b',
    ])
      await expectXmlError(await copy(range), 400, 'InvalidArgument', syntax, {
        ArgumentName: 'x-amz-copy-source-range',
        ArgumentValue: range,
      });
    await expectXmlError(
      await copy('bytes=0-100'),
      400,
      'InvalidArgument',
      'Range specified is not valid for source object of size: 10',
    );
    await expectXmlError(
      await copy('bytes=100-200'),
      400,
      'InvalidRequest',
      'The specified copy range is invalid for the source object size',
    );
    const ok = await copy('bytes=2-5');
    const text = await ok.text();
    expect(ok.status, text).toBe(200);
    expect(text).toContain('<CopyPartResult');
  });
});
