import {
  CreateRoleCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFailure, iamClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const ROOT = 'arn:aws:iam::000000000000:root';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }],
});
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const OBJECT = 'arn:aws:s3:::sim-bucket/a.txt';

let emulator: TestEmulator;
let iam: IAMClient;
let roleArn: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
  roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'sim-rp', AssumeRolePolicyDocument: TRUST })))
    .Role!.Arn!;
});
afterAll(async () => {
  iam?.destroy();
  await emulator?.stop();
});

const simulate = async (ResourcePolicy: string | undefined, CallerArn = roleArn) =>
  (
    await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: roleArn,
        ActionNames: ['s3:GetObject'],
        ResourceArns: [OBJECT],
        CallerArn,
        ...(ResourcePolicy ? { ResourcePolicy } : {}),
      }),
    )
  ).EvaluationResults![0]!;

describe('SimulatePrincipalPolicy with a ResourcePolicy (the same engine as S3 requests)', () => {
  it('a resource policy naming the caller allows without an identity policy; its Deny wins over an identity Allow', async () => {
    const grant = {
      Effect: 'Allow',
      Principal: { AWS: roleArn },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::sim-bucket/*',
    };
    expect((await simulate(undefined)).EvalDecision).toBe('implicitDeny');
    const allowed = await simulate(policy(grant));
    expect(allowed.EvalDecision).toBe('allowed');
    expect(allowed.MatchedStatements?.[0]).toMatchObject({
      SourcePolicyId: 'ResourcePolicy',
      SourcePolicyType: 'Resource Policy',
    });
    // Another caller is not named by the statement.
    expect((await simulate(policy(grant), 'arn:aws:iam::000000000000:role/someone-else')).EvalDecision).toBe(
      'implicitDeny',
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'sim-rp',
        PolicyName: 'all',
        PolicyDocument: policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
      }),
    );
    expect((await simulate(undefined)).EvalDecision).toBe('allowed');
    const denied = await simulate(policy({ ...grant, Effect: 'Deny', Principal: '*' }));
    expect(denied.EvalDecision).toBe('explicitDeny');
    expect(denied.MatchedStatements?.[0]?.SourcePolicyId).toBe('ResourcePolicy');
  });

  it('refuses a ResourcePolicy that is not a policy', async () => {
    const failure = await awsFailure(simulate('not json'));
    expect(failure).toMatchObject({
      code: 'MalformedPolicyDocument',
      status: 400,
      message: 'This policy contains invalid Json',
    });
  });
});
