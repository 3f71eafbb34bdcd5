import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { expectSdkError, uniqueBucket } from '../s3-test-kit.ts';

/**
 * UploadPartCopy reads the version its `x-amz-copy-source` names (`?versionId=`), as CopyObject
 * does, and says which it read in `x-amz-copy-source-version-id`.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 */
let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.stop());

describe('UploadPartCopy from a named version', () => {
  it('copies that version, not the latest; a deleted version is NoSuchVersion', async () => {
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('mpu-copy-ver');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'first version' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'second version' }));

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'dest' }));
    const part = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key: 'dest',
        UploadId,
        PartNumber: 1,
        CopySource: `${Bucket}/src?versionId=${first.VersionId}`,
      }),
    );
    expect(part.CopySourceVersionId).toBe(first.VersionId);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'dest',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult!.ETag! }] },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dest' }));
    expect(await got.Body!.transformToString()).toBe('first version');

    const gone = 'AAAAAAAAAAzzzzzzzzzzzzzzzzzzzzzz';
    await expectSdkError(
      s3.send(
        new UploadPartCopyCommand({
          Bucket,
          Key: 'dest',
          UploadId: (await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'dest' }))).UploadId,
          PartNumber: 1,
          CopySource: `${Bucket}/src?versionId=${gone}`,
        }),
      ),
      404,
      'NoSuchVersion',
      'The specified version does not exist.',
    );
  });
});
