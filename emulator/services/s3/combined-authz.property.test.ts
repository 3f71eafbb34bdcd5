import {
  DeleteRolePolicyCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  type ContextEntry,
  type IAMClient,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyStatusCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { iamClient, stsClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { policyOf, ROOT_ARN, roleSession } from './access-test-kit.ts';
import { uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
/** Requests go to 127.0.0.1, so `aws:SourceIp` is known to the oracle. */
let url: string;
let root: S3Client;
let asRole: S3Client;
let iam: IAMClient;
let sts: STSClient;
let roleArn: string;
let sessionArn: string;
let emptyRoleArn: string;
let allowAllRoleArn: string;
const Bucket = uniqueBucket('prop');
const KEY = 'a.txt';
const OBJECT = `arn:aws:s3:::${Bucket}/${KEY}`;
const ROLE = `prop-reader-${Bucket}`;

beforeAll(async () => {
  emulator = await startTestEmulator();
  url = emulator.url.replace('localhost', '127.0.0.1');
  root = s3Client(url);
  iam = iamClient(url);
  sts = stsClient(url);
  await root.send(new CreateBucketCommand({ Bucket }));
  await root.send(new PutObjectCommand({ Bucket, Key: KEY, Body: 'x' }));
  const reader = await roleSession(iam, sts, ROLE);
  roleArn = reader.roleArn;
  sessionArn = `arn:aws:sts::000000000000:assumed-role/${ROLE}/test`;
  asRole = s3Client(url, reader.credentials);
  emptyRoleArn = (await roleSession(iam, sts, `prop-empty-${Bucket}`)).roleArn;
  allowAllRoleArn = (
    await roleSession(
      iam,
      sts,
      `prop-all-${Bucket}`,
      policyOf({ Effect: 'Allow', Action: '*', Resource: '*' }),
    )
  ).roleArn;
});
afterAll(async () => {
  for (const c of [root, asRole, iam, sts]) c?.destroy();
  await emulator?.stop();
});

const effect = fc.constantFrom('Allow', 'Deny');
const action = fc.constantFrom('s3:GetObject', 's3:Get*', 's3:*', 's3:PutObject');
const objectResource = fc.constantFrom(`arn:aws:s3:::${Bucket}/*`, OBJECT, `arn:aws:s3:::${Bucket}/other`);
const condition = fc.constantFrom(
  undefined,
  { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } },
  { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } },
  { Bool: { 'aws:SecureTransport': 'false' } },
);
const identityStatement = fc.record({
  Effect: effect,
  Action: action,
  Resource: fc.oneof(objectResource, fc.constant('*')),
  Condition: condition,
});
const principal = fc.constantFrom<'*' | 'role' | 'root' | 'account'>('*', 'role', 'root', 'account');
const bucketStatement = fc.record({
  Effect: effect,
  Principal: principal,
  Action: action,
  Resource: objectResource,
  Condition: condition,
});
const block = fc.record({
  BlockPublicAcls: fc.boolean(),
  IgnorePublicAcls: fc.boolean(),
  BlockPublicPolicy: fc.boolean(),
  RestrictPublicBuckets: fc.boolean(),
});
const caller = fc.constantFrom<'root' | 'role' | 'anonymous'>('root', 'role', 'anonymous');

type Statement = { Condition?: object | undefined } & Record<string, unknown>;
/** JSON leaves out `Condition: undefined`. */
const clean = (s: Statement) => JSON.parse(JSON.stringify(s)) as object;
const principalOf = (p: string) =>
  p === '*' ? '*' : { AWS: p === 'role' ? roleArn : p === 'root' ? ROOT_ARN : '000000000000' };

const CONTEXT: ContextEntry[] = [
  { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['127.0.0.1'], ContextKeyType: 'ip' },
  { ContextKeyName: 'aws:SecureTransport', ContextKeyValues: ['true'], ContextKeyType: 'boolean' },
];

async function simulate(source: string, callerArn: string, policy: string | undefined): Promise<string> {
  const out = await iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: source,
      ActionNames: ['s3:GetObject'],
      ResourceArns: [OBJECT],
      CallerArn: callerArn,
      ContextEntries: CONTEXT,
      ...(policy ? { ResourcePolicy: policy, ResourceOwner: 'arn:aws:iam::000000000000:root' } : {}),
    }),
  );
  return out.EvaluationResults![0]!.EvalDecision!;
}

/** GetObject over the wire: allowed (200) or refused (403). */
async function wire(who: 'root' | 'role' | 'anonymous'): Promise<boolean> {
  if (who === 'anonymous') {
    const res = await fetch(`${url}/${Bucket}/${KEY}`);
    await res.arrayBuffer();
    expect([200, 403]).toContain(res.status);
    return res.status === 200;
  }
  const client = who === 'root' ? root : asRole;
  return client.send(new GetObjectCommand({ Bucket, Key: KEY })).then(
    async (out) => (await out.Body!.transformToString(), true),
    (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      expect(err.$metadata?.httpStatusCode).toBe(403);
      return false;
    },
  );
}

/** Applies one generated setting: identity policy, bucket policy (stored with BPA off), then BPA. */
async function configure(identity: Statement[], bucket: Statement[], bpa: PublicAccessBlockConfiguration) {
  if (identity.length)
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: ROLE,
        PolicyName: 'inline',
        PolicyDocument: policyOf(...identity.map(clean)),
      }),
    );
  else
    await iam
      .send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: 'inline' }))
      .catch(() => undefined);
  await root.send(new DeletePublicAccessBlockCommand({ Bucket }));
  const policy = bucket.length
    ? policyOf(...bucket.map((s) => clean({ ...s, Principal: principalOf(s['Principal'] as string) })))
    : undefined;
  if (policy) await root.send(new PutBucketPolicyCommand({ Bucket, Policy: policy }));
  else await root.send(new DeleteBucketPolicyCommand({ Bucket }));
  await root.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: bpa }));
  return policy;
}

describe('combined authorization: the wire agrees with SimulatePrincipalPolicy (ResourcePolicy = bucket policy)', () => {
  it('for random identity policies, bucket policies, callers and Block Public Access settings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(identityStatement, { maxLength: 2 }),
        fc.array(bucketStatement, { maxLength: 2 }),
        block,
        caller,
        async (identity, bucket, bpa, who) => {
          const policy = await configure(identity, bucket, bpa);
          const allowed = await wire(who);
          const isPublic = policy
            ? (await root.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic === true
            : false;
          if (who === 'role')
            expect(allowed).toBe((await simulate(roleArn, sessionArn, policy)) === 'allowed');
          // Root has every identity permission; only an explicit Deny of the bucket policy stops it.
          if (who === 'root')
            expect(allowed).toBe((await simulate(emptyRoleArn, ROOT_ARN, policy)) !== 'explicitDeny');
          if (who === 'anonymous') {
            // Anonymous callers match only `*` principals: the same as a caller from an account no
            // statement names, whose own identity allows everything.
            const outsider = 'arn:aws:iam::999999999999:user/outsider';
            const resourceSide =
              !!policy && (await simulate(allowAllRoleArn, outsider, policy)) === 'allowed';
            // No public grant ever reaches an anonymous caller while RestrictPublicBuckets is on.
            if (bpa.RestrictPublicBuckets && isPublic) expect(allowed).toBe(false);
            else expect(allowed).toBe(resourceSide);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
