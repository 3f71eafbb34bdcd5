import { existsSync } from 'node:fs';
import { CreateRoleCommand, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import type * as IamSts from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, uniqueBucket } from './s3-test-kit.ts';

/** Role sessions come from STS AssumeRole (the sts and iam services); skip only when they are absent. */
const hasSts =
  existsSync(new URL('../sts/service.ts', import.meta.url)) &&
  existsSync(new URL('../iam/service.ts', import.meta.url));
const kit = hasSts ? await import('../../test-support/iam-sts.ts') : ({} as typeof IamSts);

let emulator: TestEmulator;
let root: S3Client;
let iam: IAMClient;
let sts: STSClient;
const Bucket = uniqueBucket('vauthz');
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
  ],
});

beforeAll(async () => {
  if (!hasSts) return;
  emulator = await startTestEmulator();
  root = s3Client(emulator.url);
  iam = kit.iamClient(emulator.url);
  sts = kit.stsClient(emulator.url);
  await root.send(new CreateBucketCommand({ Bucket }));
  await root.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
});
afterAll(async () => {
  root?.destroy();
  iam?.destroy();
  sts?.destroy();
  await emulator?.stop();
});

/** An S3 client signing as a fresh session of a role allowed `actions` on the bucket and its objects. */
async function clientFor(role: string, actions: string[]): Promise<S3Client> {
  await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: TRUST }));
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: actions, Resource: [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`] },
    ],
  };
  await iam.send(
    new PutRolePolicyCommand({ RoleName: role, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }),
  );
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::000000000000:role/${role}`, RoleSessionName: 'session' }),
  );
  return new S3Client({
    endpoint: emulator.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: kit.sessionCredentials(out),
  });
}

const denied = (action: string) =>
  new RegExp(`^User: .* is not authorized to perform: ${action} on resource: `);

/** Asserts a 403 AccessDenied whose message names the IAM action that was checked. */
async function expectDenied(call: () => Promise<unknown>, action: string): Promise<void> {
  await expectSdkError(call(), 403, 'AccessDenied');
  const err = (await call().catch((e: unknown) => e)) as Error;
  expect(err.message).toMatch(denied(action));
}

describe.skipIf(!hasSts)('IAM actions of versioning and tagging', () => {
  it('needs the *Version* actions for ?versionId=, s3:ListBucketVersions and s3:PutBucketVersioning', async () => {
    const v1 = (await root.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }))).VersionId!;
    const plain = await clientFor('plain-object-role', [
      's3:GetObject',
      's3:DeleteObject',
      's3:ListBucket',
      's3:PutObject',
      's3:GetObjectTagging',
      's3:PutObjectTagging',
    ]);
    expect(
      await (await plain.send(new GetObjectCommand({ Bucket, Key: 'k' }))).Body!.transformToString(),
    ).toBe('one');
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => plain.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v1 })), 's3:GetObjectVersion'],
      [
        () => plain.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v1 })),
        's3:DeleteObjectVersion',
      ],
      [() => plain.send(new ListObjectVersionsCommand({ Bucket })), 's3:ListBucketVersions'],
      [
        () =>
          plain.send(
            new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
          ),
        's3:PutBucketVersioning',
      ],
      [
        () => plain.send(new GetObjectTaggingCommand({ Bucket, Key: 'k', VersionId: v1 })),
        's3:GetObjectVersionTagging',
      ],
      [
        () =>
          plain.send(
            new PutObjectTaggingCommand({ Bucket, Key: 'k', VersionId: v1, Tagging: { TagSet: [] } }),
          ),
        's3:PutObjectVersionTagging',
      ],
    ];
    for (const [call, action] of cases) await expectDenied(call, action);
    const batch = await plain.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'k', VersionId: v1 }] } }),
    );
    expect(batch.Errors?.map((e) => e.Code)).toEqual(['AccessDenied']);
    expect(batch.Errors?.[0]?.Message).toMatch(denied('s3:DeleteObjectVersion'));
    plain.destroy();

    const versioned = await clientFor('version-role', [
      's3:GetObjectVersion',
      's3:DeleteObjectVersion',
      's3:ListBucketVersions',
    ]);
    const got = await versioned.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v1 }));
    expect(await got.Body!.transformToString()).toBe('one');
    expect((await versioned.send(new ListObjectVersionsCommand({ Bucket }))).Versions).toHaveLength(1);
    await versioned.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v1 }));
    versioned.destroy();
  });

  it('needs s3:PutObjectTagging to tag on upload', async () => {
    const putOnly = await clientFor('put-only-role', ['s3:PutObject']);
    await putOnly.send(new PutObjectCommand({ Bucket, Key: 'untagged', Body: 'x' }));
    await expectDenied(
      () => putOnly.send(new PutObjectCommand({ Bucket, Key: 'tagged', Body: 'x', Tagging: 'a=b' })),
      's3:PutObjectTagging',
    );
    putOnly.destroy();
  });
});
