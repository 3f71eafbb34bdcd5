import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { signedFetch, uniqueBucket, xmlError } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
const Bucket = uniqueBucket('fuzz');

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: 'ObjectWriter' }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
});
afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});

const md5 = (body: string) => createHash('md5').update(body).digest('base64');

/** Policy-shaped JSON with random members where S3 expects particular ones. */
const jsonish = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .record({
      Version: fc.constantFrom('2012-10-17', '2008-10-17', 'x', 1),
      Statement: fc.array(
        fc.record({
          Effect: fc.constantFrom('Allow', 'Deny', 'allow', 3),
          Principal: fc.oneof(
            fc.constant('*'),
            fc.record({ AWS: fc.oneof(fc.string(), fc.constant('*')) }),
            fc.json(),
          ),
          Action: fc.oneof(fc.constantFrom('s3:GetObject', 's3:*', '*'), fc.string(), fc.array(fc.string())),
          Resource: fc.oneof(fc.constant(`arn:aws:s3:::${Bucket}/*`), fc.string()),
          Condition: fc.oneof(fc.constant(undefined), fc.json()),
        }),
        { maxLength: 3 },
      ),
    })
    .map((d) => JSON.stringify(d)),
);

describe('malformed access-control input never breaks the server', () => {
  it('PutBucketPolicy with random documents: 204 or a 4xx S3 error, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(jsonish, async (body) => {
        const res = await signedFetch(`${emulator.url}/${Bucket}?policy`, {
          method: 'PUT',
          body,
          headers: { 'content-md5': md5(body) },
        });
        const text = await res.text();
        if (res.status === 204) return;
        expect(res.status, text).toBeGreaterThanOrEqual(400);
        expect(res.status, text).toBeLessThan(500);
        expect(xmlError(text)['Code'], text).toMatch(/^(MalformedPolicy|PolicyTooLarge|AccessDenied)$/);
      }),
      { numRuns: 60 },
    );
  });

  it('PutBucketAcl with random XML bodies and grant headers: 200 or a 4xx S3 error, never a 500', async () => {
    const xml = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.string(), fc.string(), fc.constantFrom('READ', 'WRITE', 'bogus'))
        .map(
          ([id, uri, p]) =>
            `<AccessControlPolicy><Owner><ID>${id}</ID></Owner><AccessControlList><Grant><Grantee><URI>${uri}</URI></Grantee><Permission>${p}</Permission></Grant></AccessControlList></AccessControlPolicy>`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(xml, fc.option(fc.string({ maxLength: 40 })), async (body, grant) => {
        const headers: Record<string, string> =
          grant === null ? {} : { 'x-amz-grant-read': grant.replace(/[\r\n]/g, '') };
        const res = await signedFetch(`${emulator.url}/${Bucket}?acl`, {
          method: 'PUT',
          body,
          headers,
        }).catch(() => undefined);
        if (!res) return; // a header value fetch itself refuses
        const text = await res.text();
        expect(res.status, text).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    // The bucket still answers, with a well-formed ACL.
    expect((await s3.send(new GetBucketAclCommand({ Bucket }))).Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });
});
