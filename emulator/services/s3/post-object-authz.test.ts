import { existsSync } from 'node:fs';
import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, type TestCredentials } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, expectXmlError, postForm, uniqueBucket } from './s3-test-kit.ts';
import type * as IamSts from '../../test-support/iam-sts.ts';

/** Role sessions come from STS AssumeRole (the sts and iam services); skip only when they are absent. */
const hasSts =
  existsSync(new URL('../sts/service.ts', import.meta.url)) &&
  existsSync(new URL('../iam/service.ts', import.meta.url));
const kit = hasSts ? await import('../../test-support/iam-sts.ts') : ({} as typeof IamSts);

let emulator: TestEmulator;
let s3: S3Client;
let iam: IAMClient;
let sts: STSClient;
const Bucket = uniqueBucket('authz');
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
  ],
});
const putObjectPolicy = (resource: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: resource }],
  });

beforeAll(async () => {
  if (!hasSts) return;
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  iam = kit.iamClient(emulator.url);
  sts = kit.stsClient(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  s3?.destroy();
  iam?.destroy();
  sts?.destroy();
  await emulator?.stop();
});

/** A role (with an optional inline policy) and a fresh session of it. */
async function session(role: string, policy?: string): Promise<TestCredentials> {
  await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: TRUST }));
  if (policy)
    await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'put', PolicyDocument: policy }));
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::000000000000:role/${role}`, RoleSessionName: 'ticket' }),
  );
  return kit.sessionCredentials(out);
}

/** A ticket signed by `credentials` for `Key`, posted like a browser would. */
async function postAs(credentials: TestCredentials, Key: string): Promise<Response> {
  const signer = new S3Client({
    endpoint: emulator.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
  });
  const { url, fields } = await createPresignedPost(signer, { Bucket, Key });
  signer.destroy();
  expect(fields['X-Amz-Credential']).toMatch(/^ASIA/);
  expect(fields['X-Amz-Security-Token']).toBe(credentials.sessionToken);
  return postForm(url, fields, 'ticket upload');
}

describe.skipIf(!hasSts)('authorization of the signer at upload time', () => {
  it('refuses a ticket signed by a role session without s3:PutObject on the key', async () => {
    const creds = await session('no-put-role');
    await expectXmlError(
      await postAs(creds, 'incoming/denied.txt'),
      403,
      'AccessDenied',
      /^(Access Denied|User: arn:aws:sts::000000000000:assumed-role\/no-put-role\/ticket is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::.*\/incoming\/denied\.txt" because no identity-based policy allows the s3:PutObject action)$/,
    );
    await expectSdkError(
      s3.send(new HeadObjectCommand({ Bucket, Key: 'incoming/denied.txt' })),
      404,
      'NotFound',
    );
  });

  it('accepts it when the role may put that key, and only that prefix', async () => {
    const creds = await session('put-role', putObjectPolicy(`arn:aws:s3:::${Bucket}/incoming/*`));
    const ok = await postAs(creds, 'incoming/allowed.txt');
    expect(ok.status, await ok.clone().text()).toBe(204);
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket, Key: 'incoming/allowed.txt' }))).ContentLength,
    ).toBe(13);
    await expectXmlError(await postAs(creds, 'elsewhere/x.txt'), 403, 'AccessDenied', /.+/);
  });

  it('decides when the form is posted, not when it was signed', async () => {
    const creds = await session('changing-role', putObjectPolicy('*'));
    const signer = new S3Client({
      endpoint: emulator.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: creds,
    });
    const early = await createPresignedPost(signer, { Bucket, Key: 'incoming/late.txt' });
    signer.destroy();
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'changing-role', PolicyName: 'put' }));
    await expectXmlError(await postForm(early.url, early.fields, 'x'), 403, 'AccessDenied', /.+/);
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'changing-role',
        PolicyName: 'put',
        PolicyDocument: putObjectPolicy('*'),
      }),
    );
    expect((await postForm(early.url, early.fields, 'x')).status).toBe(204);
  });

  it('refuses a session key without its token, or with another token', async () => {
    const creds = await session('token-role', putObjectPolicy('*'));
    const signer = new S3Client({
      endpoint: emulator.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: creds,
    });
    const { url, fields } = await createPresignedPost(signer, { Bucket, Key: 'incoming/token.txt' });
    signer.destroy();
    await expectXmlError(
      await postForm(url, { ...fields, 'X-Amz-Security-Token': 'forged' }, 'x'),
      400,
      'InvalidToken',
      'The provided token is malformed or otherwise invalid.',
    );
  });
});
