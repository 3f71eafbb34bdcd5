import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, s3Client, type TestCredentials } from '../test-support/clients.ts';
import { awsFailure, iamClient, sessionCredentials, stsClient } from '../test-support/iam-sts.ts';
import { signRequest } from '../test-support/sign.ts';
import { startTestEmulator, type TestEmulator } from '../test-support/start-test-emulator.ts';
import { expectSdkError, expectXmlError, postForm, uniqueBucket } from '../services/s3/s3-test-kit.ts';

const Bucket = uniqueBucket('user-keys');
const allow = (Action: string, Resource: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });
/** AWS's words for a user without the permission (S3 quotes the resource). */
const deniedPut = (user: string, key: string) =>
  `User: arn:aws:iam::000000000000:user/${user} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${Bucket}/${key}" because no identity-based policy allows the s3:PutObject action`;

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
  await s3Client(emulator.url).send(new CreateBucketCommand({ Bucket }));
});
afterAll(() => emulator?.stop());

/** A user with a fresh key and (optionally) an inline policy. */
async function user(name: string, policy?: string): Promise<TestCredentials> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (policy)
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

/** A presigned POST ticket signed by `credentials`, posted like a browser would. */
async function postAs(credentials: TestCredentials, Key: string): Promise<Response> {
  const signer = s3Client(emulator.url, credentials);
  const { url, fields } = await createPresignedPost(signer, { Bucket, Key });
  signer.destroy();
  expect(fields['X-Amz-Credential']).toMatch(/^AKIA/);
  return postForm(url, fields, 'ticket upload');
}

describe('a user allowed only s3:ListBucket', () => {
  it('lists, and is refused PutObject (SDK, presigned PUT and presigned POST) until a policy allows it', async () => {
    const creds = await user('student', allow('s3:ListBucket', `arn:aws:s3:::${Bucket}`));
    const s3 = s3Client(emulator.url, creds);
    expect((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);

    // Header-signed, as the SDK sends it. The plain "Access Denied" is what S3 answers when a
    // bucket-level check decides first (another branch adds those): either is S3's own.
    const refused = await s3
      .send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'x' }))
      .catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('AccessDenied');
    expect([deniedPut('student', 'a.txt'), 'Access Denied']).toContain((refused as Error).message);
    // Presigned in the query string.
    const presigned = await presignedPut(creds, 'b.txt');
    await expectXmlError(
      presigned,
      403,
      'AccessDenied',
      new RegExp(`^(${escape(deniedPut('student', 'b.txt'))}|Access Denied)$`),
    );
    // A presigned POST signed by the user's key is refused at upload.
    await expectXmlError(
      await postAs(creds, 'incoming/c.txt'),
      403,
      'AccessDenied',
      new RegExp(`^(${escape(deniedPut('student', 'incoming/c.txt'))}|Access Denied)$`),
    );

    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'student',
        PolicyName: 'put',
        PolicyDocument: allow('s3:PutObject', `arn:aws:s3:::${Bucket}/*`),
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'x' }));
    const again = await presignedPut(creds, 'b.txt');
    expect(again.status, await again.clone().text()).toBe(200);
    const posted = await postAs(creds, 'incoming/c.txt');
    expect(posted.status, await posted.clone().text()).toBe(204);
    expect((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(3);
    s3.destroy();
  });

  it('is allowed by its group’s policy the same way, and refused again once it leaves the group', async () => {
    const creds = await user('grouped', allow('s3:ListBucket', `arn:aws:s3:::${Bucket}`));
    const s3 = s3Client(emulator.url, creds);
    await iam.send(new CreateGroupCommand({ GroupName: 'uploaders' }));
    await iam.send(
      new PutGroupPolicyCommand({
        GroupName: 'uploaders',
        PolicyName: 'put',
        PolicyDocument: allow('s3:PutObject', `arn:aws:s3:::${Bucket}/incoming/*`),
      }),
    );
    await expectSdkError(
      s3.send(new PutObjectCommand({ Bucket, Key: 'incoming/g.txt', Body: 'x' })),
      403,
      'AccessDenied',
    );
    await iam.send(new AddUserToGroupCommand({ GroupName: 'uploaders', UserName: 'grouped' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'incoming/g.txt', Body: 'x' }));
    expect((await postAs(creds, 'incoming/g2.txt')).status).toBe(204);
    // The group grants incoming/ only.
    await expectSdkError(
      s3.send(new PutObjectCommand({ Bucket, Key: 'other/g.txt', Body: 'x' })),
      403,
      'AccessDenied',
    );
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'uploaders', UserName: 'grouped' }));
    await expectSdkError(
      s3.send(new PutObjectCommand({ Bucket, Key: 'incoming/g3.txt', Body: 'x' })),
      403,
      'AccessDenied',
    );
    s3.destroy();
  });
});

describe('a user key as an identity', () => {
  it('GetCallerIdentity names the user; GetUser without UserName is the user itself', async () => {
    const creds = await user('whoami', allow('iam:GetUser', '*'));
    const me = await stsClient(emulator.url, creds).send(new GetCallerIdentityCommand({}));
    const stored = (await iam.send(new GetUserCommand({ UserName: 'whoami' }))).User!;
    expect({ Arn: me.Arn, UserId: me.UserId, Account: me.Account }).toEqual({
      Arn: 'arn:aws:iam::000000000000:user/whoami',
      UserId: stored.UserId,
      Account: '000000000000',
    });
    expect((await iamClient(emulator.url, creds).send(new GetUserCommand({}))).User).toEqual(stored);
  });

  it('a user manages its own keys without naming itself; a role session must name a user', async () => {
    const creds = await user('self-service', allow('iam:*', 'arn:aws:iam::000000000000:user/self-service'));
    const asUser = iamClient(emulator.url, creds);
    const second = (await asUser.send(new CreateAccessKeyCommand({}))).AccessKey!;
    expect(second.UserName).toBe('self-service');
    const mine = (await asUser.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!.map(
      (k) => k.AccessKeyId,
    );
    expect(mine.sort()).toEqual([creds.accessKeyId, second.AccessKeyId].sort());
    await asUser.send(new DeleteAccessKeyCommand({ AccessKeyId: second.AccessKeyId! }));

    await iam.send(
      new CreateRoleCommand({
        RoleName: 'not-a-user',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'not-a-user',
        PolicyName: 'iam',
        PolicyDocument: allow('iam:*', '*'),
      }),
    );
    const session = sessionCredentials(
      await stsClient(emulator.url).send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::000000000000:role/not-a-user',
          RoleSessionName: 'admin',
        }),
      ),
    );
    expect(await awsFailure(iamClient(emulator.url, session).send(new GetUserCommand({})))).toEqual({
      code: 'ValidationError',
      status: 400,
      message: 'Must specify userName when calling with non-User credentials',
    });
  });

  it('IAM refuses a user without the permission with AWS’s message', async () => {
    const creds = await user('no-iam');
    expect(
      await awsFailure(iamClient(emulator.url, creds).send(new GetUserCommand({ UserName: 'student' }))),
    ).toEqual({
      code: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:iam::000000000000:user/no-iam is not authorized to perform: iam:GetUser on resource: arn:aws:iam::000000000000:user/student because no identity-based policy allows the iam:GetUser action',
    });
  });

  it('an Inactive key is refused by every service as an unknown key; Active again, it signs again', async () => {
    const creds = await user('pausable', allow('s3:ListBucket', '*'));
    const s3 = s3Client(emulator.url, creds);
    await s3.send(new ListObjectsV2Command({ Bucket }));
    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: 'pausable',
        AccessKeyId: creds.accessKeyId,
        Status: 'Inactive',
      }),
    );
    await expectSdkError(
      s3.send(new ListObjectsV2Command({ Bucket })),
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: creds.accessKeyId },
    );
    expect(await awsFailure(stsClient(emulator.url, creds).send(new GetCallerIdentityCommand({})))).toEqual({
      code: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
    const lambda = new LambdaClient(clientConfig(emulator.url, creds));
    expect(await awsFailure(lambda.send(new ListFunctionsCommand({})))).toEqual({
      code: 'UnrecognizedClientException',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
    await expectXmlError(
      await postAs(creds, 'incoming/paused.txt'),
      403,
      'InvalidAccessKeyId',
      /^The AWS Access Key Id you provided does not exist in our records\.$/,
    );

    await iam.send(
      new UpdateAccessKeyCommand({ UserName: 'pausable', AccessKeyId: creds.accessKeyId, Status: 'Active' }),
    );
    await s3.send(new ListObjectsV2Command({ Bucket }));
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'pausable', AccessKeyId: creds.accessKeyId }));
    await expectSdkError(s3.send(new ListObjectsV2Command({ Bucket })), 403, 'InvalidAccessKeyId');
    s3.destroy();
    lambda.destroy();
  });
});

describe('restart', () => {
  it('users, groups, keys and policies survive a restart, and the key still signs', async () => {
    const dataDir = emulator.dataDir;
    const creds = await user('durable', allow('s3:ListBucket', '*'));
    await iam.send(new CreateGroupCommand({ GroupName: 'durable-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'durable-group', UserName: 'durable' }));
    await iam.send(
      new PutGroupPolicyCommand({
        GroupName: 'durable-group',
        PolicyName: 'put',
        PolicyDocument: allow('s3:PutObject', '*'),
      }),
    );
    await emulator.stopKeepingData();
    emulator = await startTestEmulator({ dataDir });
    iam = iamClient(emulator.url);
    const s3 = s3Client(emulator.url, creds);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'after-restart.txt', Body: 'x' }));
    expect((await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'after-restart' }))).KeyCount).toBe(1);
    s3.destroy();
  });
});

/** A PUT presigned in the query string (S3 signs no payload then), sent with a body. */
async function presignedPut(credentials: TestCredentials, key: string): Promise<Response> {
  const { url } = await signRequest({
    url: `${emulator.url}/${Bucket}/${key}`,
    service: 's3',
    method: 'PUT',
    credentials,
    presignSeconds: 300,
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  return fetch(url, { method: 'PUT', body: 'x' });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
