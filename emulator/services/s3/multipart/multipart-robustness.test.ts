import { ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { completeBody, newBucket, putPart, s3Fetch, startUpload } from './multipart-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  bucket = await newBucket(s3, 'mpu-robust');
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

/** An answer to malformed input: an S3 4xx with an `<Error>` document, never a 5xx. */
async function expectClientError(res: Response, what: string): Promise<void> {
  const text = await res.text();
  expect(res.status, `${what}: ${text}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what}: ${text}`).toBeLessThan(500);
  expect(text, what).toMatch(/<Error><Code>[A-Za-z]+<\/Code>/);
}

describe('malformed multipart requests get S3 errors, never a 5xx, and the upload survives them', () => {
  it('answers generated Complete bodies, part numbers, upload ids and list parameters with 4xx', async () => {
    const id = await startUpload(emulator.url, bucket, 'target');
    const etag = await putPart(emulator.url, bucket, 'target', id, 1, 'only part');
    const xmlish = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '<CompleteMultipartUpload><Part>text</Part></CompleteMultipartUpload>',
        '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part></CompleteMultipartUpload>',
        '<CompleteMultipartUpload><Part><PartNumber><a/></PartNumber></Part></CompleteMultipartUpload>',
        '<CompleteMultipartUpload><Part><PartNumber>99999999999999999999</PartNumber><ETag/></Part></CompleteMultipartUpload>',
        '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
        '<Other/>',
        '<CompleteMultipartUpload>',
      ),
      fc
        .array(fc.record({ n: fc.integer({ min: -5, max: 10_005 }), etag: fc.string({ maxLength: 40 }) }), {
          maxLength: 6,
        })
        .map((parts) => completeBody(parts.map((p) => ({ ...p, etag: p.etag.replace(/[<&]/g, '') })))),
    );
    await fc.assert(
      fc.asyncProperty(xmlish, async (body) => {
        await expectClientError(
          await s3Fetch(emulator.url, 'POST', `/${bucket}/target?uploadId=${id}`, { body }),
          body,
        );
      }),
      { numRuns: 60 },
    );
    const weird = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('../..', '%00', '1e3', '0x10', ' 1', '-0'),
    );
    await fc.assert(
      fc.asyncProperty(weird, weird, async (partNumber, uploadId) => {
        const q = `partNumber=${encodeURIComponent(partNumber)}&uploadId=${encodeURIComponent(uploadId)}`;
        await expectClientError(
          await s3Fetch(emulator.url, 'PUT', `/${bucket}/target?${q}`, { body: 'x' }),
          q,
        );
        const list = `max-parts=${encodeURIComponent(partNumber)}&part-number-marker=${encodeURIComponent(uploadId)}`;
        const listed = await s3Fetch(emulator.url, 'GET', `/${bucket}/target?uploadId=${id}&${list}`);
        if (listed.status !== 200) await expectClientError(listed, list);
        else await listed.text();
        const uploads = `max-uploads=${encodeURIComponent(partNumber)}&key-marker=${encodeURIComponent(uploadId)}`;
        const all = await s3Fetch(emulator.url, 'GET', `/${bucket}?uploads&${uploads}`);
        if (all.status !== 200) await expectClientError(all, uploads);
        else await all.text();
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        async (algorithm, type) => {
          const res = await s3Fetch(emulator.url, 'POST', `/${bucket}/other?uploads`, {
            headers: {
              'x-amz-checksum-algorithm': algorithm.replace(/[^\x21-\x7e]/g, ''),
              'x-amz-checksum-type': type.replace(/[^\x21-\x7e]/g, ''),
            },
          });
          if (res.status !== 200) await expectClientError(res, `${algorithm} ${type}`);
          else await res.text();
        },
      ),
      { numRuns: 30 },
    );
    // The upload came through all of it untouched.
    const done = await s3Fetch(emulator.url, 'POST', `/${bucket}/target?uploadId=${id}`, {
      body: completeBody([{ n: 1, etag }]),
    });
    expect(done.status, await done.text()).toBe(200);
    const left = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'target' }));
    expect(left.Uploads ?? []).toEqual([]);
  }, 120_000);
});
