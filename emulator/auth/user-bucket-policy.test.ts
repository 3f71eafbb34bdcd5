import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, type TestCredentials } from '../test-support/clients.ts';
import { iamClient } from '../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../test-support/start-test-emulator.ts';
import { expectSdkError, uniqueBucket } from '../services/s3/s3-test-kit.ts';

/**
 * An IAM user and a bucket policy meet in the one combined evaluation: within the account an
 * Allow in the bucket policy naming the user grants what no identity policy of the user does,
 * and an explicit Deny there wins over the user's own Allow.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
const Bucket = uniqueBucket('user-policy');
const userArn = (name: string) => `arn:aws:iam::000000000000:user/${name}`;
const policy = (Effect: 'Allow' | 'Deny', name: string, Action: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect, Principal: { AWS: userArn(name) }, Action, Resource: `arn:aws:s3:::${Bucket}/*` }],
  });

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
  const root = s3Client(emulator.url);
  await root.send(new CreateBucketCommand({ Bucket }));
  await root.send(new PutObjectCommand({ Bucket, Key: 'doc.txt', Body: 'hello' }));
});
afterAll(() => emulator?.stop());

async function user(name: string): Promise<TestCredentials> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

describe('IAM users and bucket policies', () => {
  it('a bucket policy naming a user grants it reads that none of its own policies allow', async () => {
    const reader = s3Client(emulator.url, await user('reader'));
    await expectSdkError(
      reader.send(new GetObjectCommand({ Bucket, Key: 'doc.txt' })),
      403,
      'AccessDenied',
      `User: ${userArn('reader')} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${Bucket}/doc.txt" because no identity-based policy allows the s3:GetObject action`,
    );
    const root = s3Client(emulator.url);
    await root.send(
      new PutBucketPolicyCommand({ Bucket, Policy: policy('Allow', 'reader', 's3:GetObject') }),
    );
    const got = await reader.send(new GetObjectCommand({ Bucket, Key: 'doc.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    await root.send(new DeleteBucketPolicyCommand({ Bucket }));
  });

  it("an explicit Deny in the bucket policy wins over the user's own Allow", async () => {
    const root = s3Client(emulator.url);
    const writer = s3Client(emulator.url, await user('writer'));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'writer',
        PolicyName: 'put',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${Bucket}/*` }],
        }),
      }),
    );
    await writer.send(new PutObjectCommand({ Bucket, Key: 'w1.txt', Body: 'x' }));
    await root.send(new PutBucketPolicyCommand({ Bucket, Policy: policy('Deny', 'writer', 's3:PutObject') }));
    await expectSdkError(
      writer.send(new PutObjectCommand({ Bucket, Key: 'w2.txt', Body: 'x' })),
      403,
      'AccessDenied',
      `User: ${userArn('writer')} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${Bucket}/w2.txt" with an explicit deny in a resource-based policy`,
    );
    await root.send(new DeleteBucketPolicyCommand({ Bucket }));
  });
});
