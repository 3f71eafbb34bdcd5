import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { iamClient, stsClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { objectUrl, policyOf, ROOT_ARN, roleSession } from './access-test-kit.ts';
import { expectSdkError, expectXmlError, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let iam: IAMClient;
let sts: STSClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  iam = iamClient(emulator.url);
  sts = stsClient(emulator.url);
});
afterAll(async () => {
  s3?.destroy();
  iam?.destroy();
  sts?.destroy();
  await emulator?.stop();
});

const readAll = (Bucket: string) => ({
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${Bucket}/*`,
});

/** A bucket with one object and, unless `keepBlock`, Block Public Access removed. */
async function bucketWithObject(keepBlock = false): Promise<string> {
  const Bucket = uniqueBucket('policy');
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'hello' }));
  if (!keepBlock) await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
  return Bucket;
}

describe('PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus', () => {
  it('stores the policy as sent, reports whether it is public, and deletes it idempotently', async () => {
    const Bucket = await bucketWithObject();
    await expectSdkError(
      s3.send(new GetBucketPolicyCommand({ Bucket })),
      404,
      'NoSuchBucketPolicy',
      'The bucket policy does not exist',
      { BucketName: Bucket },
    );
    await expectSdkError(s3.send(new GetBucketPolicyStatusCommand({ Bucket })), 404, 'NoSuchBucketPolicy');
    const Policy = policyOf(readAll(Bucket));
    const put = await s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy!)).toEqual(
      JSON.parse(Policy),
    );
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus).toEqual({
      IsPublic: true,
    });

    const fixed = policyOf({ ...readAll(Bucket), Principal: { AWS: ROOT_ARN } });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: fixed }));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus).toEqual({
      IsPublic: false,
    });

    for (let i = 0; i < 2; i++)
      expect((await s3.send(new DeleteBucketPolicyCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
    await expectSdkError(s3.send(new GetBucketPolicyCommand({ Bucket })), 404, 'NoSuchBucketPolicy');
  });

  it('decides "public" by AWS rules: fixed principals and fixed restricting conditions are not public', async () => {
    const Bucket = await bucketWithObject();
    const status = async (statement: object) => {
      await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policyOf(statement) }));
      return (await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic;
    };
    const anyone = readAll(Bucket);
    expect(await status(anyone)).toBe(true);
    expect(await status({ ...anyone, Principal: { AWS: '*' } })).toBe(true);
    expect(await status({ ...anyone, Condition: { StringLike: { 'aws:SourceVpc': 'vpc-*' } } })).toBe(true);
    expect(
      await status({ ...anyone, Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } } }),
    ).toBe(false);
    expect(await status({ ...anyone, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })).toBe(
      false,
    );
    expect(await status({ ...anyone, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })).toBe(true);
    expect(await status({ ...anyone, Principal: { Service: 'cloudfront.amazonaws.com' } })).toBe(false);
    expect(await status({ ...anyone, Effect: 'Deny' })).toBe(false);
  });

  it('refuses malformed policies with S3 MalformedPolicy texts', async () => {
    const Bucket = await bucketWithObject();
    const refuse = async (Policy: string, code: string, message: string) => {
      const res = await signedFetch(`${emulator.url}/${Bucket}?policy`, {
        method: 'PUT',
        body: Policy,
        headers: {
          'content-md5': (await import('node:crypto')).createHash('md5').update(Policy).digest('base64'),
        },
      });
      await expectXmlError(res, 400, code, message);
    };
    const json = "Policies must be valid JSON and the first byte must be '{'";
    await refuse('', 'MalformedPolicy', json);
    await refuse('invalid json', 'MalformedPolicy', json);
    await refuse(' {"Statement": []}', 'MalformedPolicy', json);
    await refuse('{"Statement": ', 'MalformedPolicy', json);
    await refuse('{}', 'MalformedPolicy', 'Missing required field Statement');
    await refuse(
      policyOf({ ...readAll(Bucket), Resource: '*' }),
      'MalformedPolicy',
      'Policy has invalid resource',
    );
    await refuse(
      policyOf({ ...readAll(Bucket), Resource: 'arn:aws:s3:::another-bucket/*' }),
      'MalformedPolicy',
      'Policy has invalid resource',
    );
    await refuse(
      policyOf({ ...readAll(Bucket), Principal: { AWS: 'arn:aws:iam::000000000000:role/no-such-role' } }),
      'MalformedPolicy',
      'Invalid principal in policy',
    );
    await refuse(
      policyOf({ ...readAll(Bucket), Principal: { AWS: 'someone' } }),
      'MalformedPolicy',
      'Invalid principal in policy',
    );
    await refuse(
      policyOf({ ...readAll(Bucket), Action: 's3:PutObject', Resource: `arn:aws:s3:::${Bucket}` }),
      'MalformedPolicy',
      'Action does not apply to any resource(s) in statement',
    );
    const big = policyOf({ ...readAll(Bucket), Sid: 'x'.repeat(21 * 1024) });
    await refuse(big, 'PolicyTooLarge', 'Policy exceeds the maximum allowed document size.');
    // Nothing was stored by any of these.
    await expectSdkError(s3.send(new GetBucketPolicyCommand({ Bucket })), 404, 'NoSuchBucketPolicy');
  });

  it('checks x-amz-expected-bucket-owner', async () => {
    const Bucket = await bucketWithObject();
    await expectSdkError(
      s3.send(new GetBucketPolicyCommand({ Bucket, ExpectedBucketOwner: '111111111111' })),
      403,
      'AccessDenied',
      'Access Denied',
    );
    await expectSdkError(
      s3.send(new DeleteBucketPolicyCommand({ Bucket, ExpectedBucketOwner: 'abcd' })),
      400,
      'InvalidBucketOwnerAWSAccountID',
      'The value of the expected bucket owner parameter must be an AWS Account ID... [abcd]',
    );
    await s3.send(new DeleteBucketPolicyCommand({ Bucket, ExpectedBucketOwner: '000000000000' }));
  });
});

describe('Block Public Access with bucket policies', () => {
  it('BlockPublicPolicy refuses a public policy (on a new bucket too) and lets a fixed one through', async () => {
    const Bucket = await bucketWithObject(true);
    await expectSdkError(
      s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policyOf(readAll(Bucket)) })),
      403,
      'AccessDenied',
      `User: ${ROOT_ARN} is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${Bucket}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
    );
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket,
        Policy: policyOf({ ...readAll(Bucket), Principal: { AWS: ROOT_ARN } }),
      }),
    );
  });

  it('an anonymous GET is allowed by a public policy, then refused once RestrictPublicBuckets is on', async () => {
    const Bucket = await bucketWithObject();
    const url = objectUrl(emulator.url, Bucket, 'a.txt');
    await expectXmlError(await fetch(url), 403, 'AccessDenied', 'Access Denied');
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policyOf(readAll(Bucket)) }));
    const open = await fetch(url);
    expect(open.status).toBe(200);
    expect(await open.text()).toBe('hello');
    // Listing is not granted by the policy.
    await expectXmlError(
      await fetch(`${emulator.url}/${Bucket}?list-type=2`),
      403,
      'AccessDenied',
      'Access Denied',
    );
    const restrict = {
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: true,
    };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: restrict }));
    await expectXmlError(await fetch(url), 403, 'AccessDenied', 'Access Denied');
  });

  it('an explicit Deny in the bucket policy wins over root (except for the policy operations)', async () => {
    const Bucket = await bucketWithObject();
    const Policy = policyOf({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    await expectSdkError(
      s3.send(new GetObjectCommand({ Bucket, Key: 'a.txt' })),
      403,
      'AccessDenied',
      `User: ${ROOT_ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${Bucket}/a.txt" with an explicit deny in a resource-based policy`,
    );
    // The owner account's root can always read, replace and delete the policy.
    await s3.send(new GetBucketPolicyCommand({ Bucket }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    await s3.send(new GetObjectCommand({ Bucket, Key: 'a.txt' }));
  });
});

describe('bucket policy and identity policies together (one account)', () => {
  it('a bucket policy naming the role grants without any identity policy; a Deny in either wins', async () => {
    const Bucket = await bucketWithObject(true);
    const { roleArn, credentials } = await roleSession(iam, sts, `reader-${Bucket}`);
    const asRole = s3Client(emulator.url, credentials);
    await expectSdkError(
      asRole.send(new GetObjectCommand({ Bucket, Key: 'a.txt' })),
      403,
      'AccessDenied',
      `User: arn:aws:sts::000000000000:assumed-role/reader-${Bucket}/test is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${Bucket}/a.txt" because no identity-based policy allows the s3:GetObject action`,
    );
    const grant = { ...readAll(Bucket), Principal: { AWS: roleArn } };
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policyOf(grant) }));
    const got = await asRole.send(new GetObjectCommand({ Bucket, Key: 'a.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello');
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket,
        Policy: policyOf(grant, { ...grant, Effect: 'Deny', Principal: '*' }),
      }),
    );
    await expectSdkError(asRole.send(new GetObjectCommand({ Bucket, Key: 'a.txt' })), 403, 'AccessDenied');
    asRole.destroy();
  });

  it('aws:SourceIp and aws:SecureTransport work in bucket policies (plain-HTTP localhost counts as secure)', async () => {
    const Bucket = await bucketWithObject();
    const url = objectUrl(emulator.url, Bucket, 'a.txt');
    const allowFrom = (cidr: string) => ({
      ...readAll(Bucket),
      Condition: { IpAddress: { 'aws:SourceIp': cidr } },
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policyOf(allowFrom('127.0.0.0/8')) }));
    expect((await fetch(url)).status).toBe(200);
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policyOf(allowFrom('203.0.113.0/24')) }));
    expect((await fetch(url)).status).toBe(403);

    const denyInsecure = {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: `arn:aws:s3:::${Bucket}/*`,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policyOf(readAll(Bucket), denyInsecure) }));
    expect((await fetch(url)).status).toBe(200);
    process.env['EMULATOR_SECURE_TRANSPORT'] = 'false';
    try {
      expect((await fetch(url)).status).toBe(403);
    } finally {
      delete process.env['EMULATOR_SECURE_TRANSPORT'];
    }
  });

  it('S3 condition keys: s3:prefix on listings, s3:x-amz-acl on writes', async () => {
    const Bucket = await bucketWithObject();
    const listIncoming = {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::${Bucket}`,
      Condition: { StringEquals: { 's3:prefix': 'incoming/' } },
    };
    const denyAcl = {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${Bucket}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'public-read' } },
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policyOf(listIncoming, denyAcl) }));
    expect((await fetch(`${emulator.url}/${Bucket}?list-type=2&prefix=incoming/`)).status).toBe(200);
    expect((await fetch(`${emulator.url}/${Bucket}?list-type=2`)).status).toBe(403);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'b.txt', Body: 'x' }));
    await expectSdkError(
      s3.send(new PutObjectCommand({ Bucket, Key: 'c.txt', Body: 'x', ACL: 'public-read' })),
      403,
      'AccessDenied',
    );
  });
});
