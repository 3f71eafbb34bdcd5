import { join } from 'node:path';
import { CreateRoleCommand, PutRolePolicyCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../test-support/clients.ts';
import { iamClient, sessionCredentials, stsClient } from '../test-support/iam-sts.ts';
import { sendSigned, xmlError } from '../test-support/sign.ts';
import { startTestEmulator, type TestEmulator } from '../test-support/start-test-emulator.ts';
import { CredentialStore, type SessionRecord } from './credentials.ts';

/**
 * SigV4 as S3 sees it: S3's own words for each authentication failure, anonymous callers, and
 * role sessions authorized by their role's policies (the same engine SimulatePrincipalPolicy uses).
 */
const MINUTE = 60_000;
const BUCKET = 'auth-test-bucket';

let emulator: TestEmulator;
let expired: SessionRecord;

beforeAll(async () => {
  emulator = await startTestEmulator();
  await emulator.stopKeepingData();
  const store = await CredentialStore.open(join(emulator.dataDir, 'sts', 'sessions'), []);
  expired = await store.issueSession({
    roleArn: 'arn:aws:iam::000000000000:role/r',
    roleName: 'r',
    roleId: 'AROAEXAMPLEEXAMPLE01',
    sessionName: 'old',
    durationSeconds: -60,
  });
  emulator = await startTestEmulator({ dataDir: emulator.dataDir });
  await s3Client(emulator.url).send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => emulator?.stop());

const listBuckets = (extra: Partial<Parameters<typeof sendSigned>[0]> = {}) =>
  sendSigned({ url: `${emulator.url}/`, service: 's3', method: 'GET', ...extra });

async function s3Error(response: Response) {
  const body = await response.text();
  return { status: response.status, ...xmlError(body), body };
}

describe('S3 authentication failures, in S3’s words', () => {
  it('accepts the root keys', async () => {
    expect((await listBuckets()).status).toBe(200);
  });

  it('unknown access key → 403 InvalidAccessKeyId naming the key', async () => {
    const e = await s3Error(
      await listBuckets({ credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } }),
    );
    expect(e).toMatchObject({
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    });
    expect(e.body).toContain('<AWSAccessKeyId>AKIAUNKNOWN</AWSAccessKeyId>');
  });

  it('wrong secret → 403 SignatureDoesNotMatch', async () => {
    const e = await s3Error(
      await listBuckets({ credentials: { accessKeyId: 'test', secretAccessKey: 'nope' } }),
    );
    expect(e).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    });
  });

  it('clock off by more than 15 minutes → 403 RequestTimeTooSkewed with both times', async () => {
    const e = await s3Error(await listBuckets({ signingDate: new Date(Date.now() - 20 * MINUTE) }));
    expect(e).toMatchObject({
      status: 403,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
    });
    expect(e.body).toMatch(/<RequestTime>\d{8}T\d{6}Z<\/RequestTime>/);
    expect(e.body).toMatch(/<ServerTime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/ServerTime>/);
    expect(e.body).toContain('<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>');
  });

  it('expired session → 400 ExpiredToken', async () => {
    const credentials = {
      accessKeyId: expired.accessKeyId,
      secretAccessKey: expired.secretAccessKey,
      sessionToken: expired.sessionToken,
    };
    const e = await s3Error(await listBuckets({ credentials }));
    expect(e).toMatchObject({
      status: 400,
      code: 'ExpiredToken',
      message: 'The provided token has expired.',
    });
  });

  it('anonymous requests to a private bucket are refused', async () => {
    const response = await fetch(`${emulator.url}/${BUCKET}?list-type=2`);
    expect((await s3Error(response)).status).toBe(403);
  });
});

describe('role sessions on S3: request authorization and SimulatePrincipalPolicy agree', () => {
  const trust = JSON.stringify({
    Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }],
  });

  it.each([
    [
      's3:PutObject on the prefix',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/incoming/*` },
      'incoming/a.txt',
      'allowed',
    ],
    [
      's3:PutObject on another prefix',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/other/*` },
      'incoming/a.txt',
      'implicitDeny',
    ],
    [
      's3:PutObject on the bucket ARN only',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}` },
      'incoming/a.txt',
      'implicitDeny',
    ],
    ['s3:Get* only', { Effect: 'Allow', Action: 's3:Get*', Resource: '*' }, 'incoming/a.txt', 'implicitDeny'],
  ] as const)('%s', async (name, statement, key, expected) => {
    const iam = iamClient(emulator.url);
    const RoleName = `s3-${name.replace(/[^a-z0-9]+/gi, '-')}`.slice(0, 64);
    const arn = (await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }))).Role!
      .Arn!;
    await iam.send(
      new PutRolePolicyCommand({
        RoleName,
        PolicyName: 'p',
        PolicyDocument: JSON.stringify({ Statement: [statement] }),
      }),
    );
    const session = sessionCredentials(
      await stsClient(emulator.url).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'probe' })),
    );

    const simulated = (
      await iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: arn,
          ActionNames: ['s3:PutObject'],
          ResourceArns: [`arn:aws:s3:::${BUCKET}/${key}`],
        }),
      )
    ).EvaluationResults![0]!.EvalDecision;
    const actual = await s3Client(emulator.url, session)
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }))
      .then(
        () => 'allowed',
        (err: { name: string; $metadata: { httpStatusCode?: number } }) => {
          expect({ name: err.name, status: err.$metadata.httpStatusCode }).toEqual({
            name: 'AccessDenied',
            status: 403,
          });
          return 'implicitDeny';
        },
      );
    expect({ actual, simulated }).toEqual({ actual: expected, simulated: expected });
    // Listing buckets needs s3:ListAllMyBuckets, which none of these grant.
    const listing = await s3Client(emulator.url, session)
      .send(new ListBucketsCommand({}))
      .then(
        () => 'allowed',
        () => 'denied',
      );
    expect(listing).toBe('denied');
  });
});
