import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { sendSigned } from '../../test-support/sign.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, expectXmlError, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

describe('buckets', () => {
  it('creates, heads, lists and deletes a bucket', async () => {
    const Bucket = uniqueBucket();
    await s3.send(new CreateBucketCommand({ Bucket }));
    const head = await s3.send(new HeadBucketCommand({ Bucket }));
    expect(head.BucketRegion).toBe('us-east-1');
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toContain(Bucket);
    expect(list.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    await s3.send(new DeleteBucketCommand({ Bucket }));
    await expectSdkError(s3.send(new HeadBucketCommand({ Bucket })), 404, 'NotFound');
  });

  it('answers NoSuchBucket with the bucket name, and refuses invalid names', async () => {
    await expectSdkError(
      s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket-here' })),
      404,
      'NoSuchBucket',
      'The specified bucket does not exist',
      { BucketName: 'no-such-bucket-here' },
    );
    await expectSdkError(
      s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })),
      400,
      'InvalidBucketName',
      'The specified bucket is not valid.',
    );
  });

  it('refuses to delete a bucket that is not empty', async () => {
    const Bucket = uniqueBucket();
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    await expectSdkError(
      s3.send(new DeleteBucketCommand({ Bucket })),
      409,
      'BucketNotEmpty',
      'The bucket you tried to delete is not empty',
    );
  });

  it('keeps re-creation in us-east-1 a no-op but refuses it in another region', async () => {
    const Bucket = uniqueBucket();
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new CreateBucketCommand({ Bucket }));
    const eu = s3Client(emulator.url, undefined, { region: 'eu-west-1' });
    const Other = uniqueBucket();
    await eu.send(
      new CreateBucketCommand({
        Bucket: Other,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    expect((await eu.send(new HeadBucketCommand({ Bucket: Other }))).BucketRegion).toBe('eu-west-1');
    // The SDK fills in the LocationConstraint from its region; a bare request to a regional endpoint is refused.
    const bare = await sendSigned({
      url: `${emulator.url}/${uniqueBucket()}`,
      service: 's3',
      region: 'eu-west-1',
      method: 'PUT',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    await expectXmlError(
      bare,
      400,
      'IllegalLocationConstraintException',
      'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
    );
    await expectSdkError(
      eu.send(
        new CreateBucketCommand({
          Bucket: Other,
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      ),
      409,
      'BucketAlreadyOwnedByYou',
    );
    eu.destroy();
  });

  it('stores Public Access Block and tags', async () => {
    const Bucket = uniqueBucket();
    await s3.send(new CreateBucketCommand({ Bucket }));
    // A new bucket starts with all four settings on, as on AWS since April 2023.
    expect(
      (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration,
    ).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await expectSdkError(
      s3.send(new GetPublicAccessBlockCommand({ Bucket })),
      404,
      'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found',
    );
    const all = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: all }));
    expect(
      (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration,
    ).toEqual(all);
    await expectSdkError(
      s3.send(new GetBucketTaggingCommand({ Bucket })),
      404,
      'NoSuchTagSet',
      'The TagSet does not exist',
    );
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket,
        Tagging: { TagSet: [{ Key: 'lab', Value: 'presigned-upload-lab' }] },
      }),
    );
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([
      { Key: 'lab', Value: 'presigned-upload-lab' },
    ]);
  });

  it('refuses anonymous reads (private buckets)', async () => {
    const Bucket = uniqueBucket();
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'secret.txt', Body: 'x' }));
    await expectXmlError(
      await fetch(`${emulator.url}/${Bucket}/secret.txt`),
      403,
      'AccessDenied',
      'Access Denied',
    );
    await expectXmlError(
      await fetch(`${emulator.url}/${Bucket}?list-type=2`),
      403,
      'AccessDenied',
      'Access Denied',
    );
  });

  it('answers NotImplemented for subresources it does not serve', async () => {
    const Bucket = uniqueBucket();
    await s3.send(new CreateBucketCommand({ Bucket }));
    const response = await signedFetch(`${emulator.url}/${Bucket}?analytics`);
    await expectXmlError(
      response,
      501,
      'NotImplemented',
      'A header you provided implies functionality that is not implemented',
    );
  });

  it('deletes a bucket while uploads into it race the delete, without an internal error', async () => {
    for (let round = 0; round < 8; round++) {
      const Bucket = uniqueBucket();
      await s3.send(new CreateBucketCommand({ Bucket }));
      const outcomes = await Promise.allSettled([
        ...Array.from({ length: 12 }, (_, i) =>
          s3.send(new PutObjectCommand({ Bucket, Key: `k${i}`, Body: 'x'.repeat(2 * 1024 * 1024) })),
        ),
        ...[0, 2, 5, 10, 20].map((ms) =>
          new Promise((resolve) => setTimeout(resolve, ms)).then(() =>
            s3.send(new DeleteBucketCommand({ Bucket })),
          ),
        ),
      ]);
      const names = outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as Error).name));
      for (const name of names) expect(['ok', 'NoSuchBucket', 'BucketNotEmpty']).toContain(name);
    }
  });

  it('answers a create and a delete of one bucket racing each other without an internal error', async () => {
    for (let round = 0; round < 20; round++) {
      const Bucket = uniqueBucket();
      const outcomes = await Promise.allSettled([
        s3.send(new CreateBucketCommand({ Bucket })),
        ...[0, 1, 2, 4].map((ms) =>
          new Promise((resolve) => setTimeout(resolve, ms)).then(() =>
            s3.send(new DeleteBucketCommand({ Bucket })),
          ),
        ),
      ]);
      const names = outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as Error).name));
      for (const name of names) expect(['ok', 'NoSuchBucket']).toContain(name);
    }
  });
});
