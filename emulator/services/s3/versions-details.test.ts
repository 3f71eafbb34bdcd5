import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { uniqueBucket } from './s3-test-kit.ts';

/**
 * Versions where other features meet them (found by s3-tests): CompleteMultipartUpload answers
 * the version it made; GetObjectAttributes reads `?versionId=` and says which version it read.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
 */
let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.stop());

describe('versions in multipart and attributes', () => {
  it('CompleteMultipartUpload on a versioned bucket answers the new version id', async () => {
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('ver-mpu');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket, Key: 'k', UploadId, PartNumber: 1, Body: 'x' }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag! }] },
      }),
    );
    expect(done.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    const attributes = await s3.send(
      new GetObjectAttributesCommand({ Bucket, Key: 'k', ObjectAttributes: ['ObjectSize'] }),
    );
    expect(attributes.VersionId).toBe(done.VersionId);
  });

  it('GetObjectAttributes with a version id reads that version', async () => {
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('ver-attrs');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'short' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'a longer body' }));
    const out = await s3.send(
      new GetObjectAttributesCommand({
        Bucket,
        Key: 'k',
        VersionId: first.VersionId!,
        ObjectAttributes: ['ETag', 'ObjectSize'],
      }),
    );
    expect(out.VersionId).toBe(first.VersionId);
    expect(out.ObjectSize).toBe(5);
    expect(`"${out.ETag}"`).toBe(first.ETag);
  });
});
