import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeletePublicAccessBlockCommand,
  PutBucketOwnershipControlsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { expectSdkError, uniqueBucket } from '../s3-test-kit.ts';

/**
 * CreateMultipartUpload's ACL is judged as PutObject's (§8.3: refused under BucketOwnerEnforced,
 * §8.2: a public one refused while BlockPublicAcls is on) and becomes the completed object's.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 */
let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.stop());

describe('ACLs on multipart uploads', () => {
  it('refuses a canned ACL on a bucket with the default ownership, accepts bucket-owner-full-control', async () => {
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('mpu-acl');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await expectSdkError(
      s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'a', ACL: 'public-read' })),
      400,
      'AccessControlListNotSupported',
      'The bucket does not allow ACLs',
    );
    const ok = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'a', ACL: 'bucket-owner-full-control' }),
    );
    expect(ok.UploadId).toBeTruthy();
  });

  it('makes a public-read upload readable by anyone once ownership allows ACLs and BPA is off', async () => {
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('mpu-public');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      }),
    );
    // Block Public Access is still on: the public ACL is refused.
    await expectSdkError(
      s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'p', ACL: 'public-read' })),
      403,
      'AccessDenied',
    );
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'p', ACL: 'public-read' }),
    );
    const part = await s3.send(
      new UploadPartCommand({ Bucket, Key: 'p', UploadId, PartNumber: 1, Body: 'public bytes' }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'p',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag! }] },
      }),
    );
    const anonymous = await fetch(`${emulator.url}/${Bucket}/p`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toBe('public bytes');
  });
});
