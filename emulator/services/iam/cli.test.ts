import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../../test-support/aws-cli.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

/** The Debian AWS CLI v2 (botocore's own Query serializer and signer) against IAM and STS. */
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const PUT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::lab-bucket/incoming/*' }],
});

describe.skipIf(!hasAwsCli)('AWS CLI v2 against IAM and STS', () => {
  let emulator: TestEmulator;
  const aws = async (...args: string[]) => {
    const out = await runAws(emulator.url, [...args, '--output', 'json']);
    return { ...out, json: out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {} };
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator?.stop());

  it('sts get-caller-identity', async () => {
    const out = await aws('sts', 'get-caller-identity');
    expect(out.code).toBe(0);
    expect(out.json).toEqual({
      UserId: '000000000000',
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
    });
  });

  it('iam create-role, then get-role shows the trust policy decoded (as the CLI decodes IAM documents)', async () => {
    const created = await aws(
      'iam',
      'create-role',
      '--role-name',
      'cli-role',
      '--assume-role-policy-document',
      TRUST,
      '--tags',
      'Key=lab,Value=cli',
    );
    expect(created.code).toBe(0);
    expect(created.json['Role']).toMatchObject({
      RoleName: 'cli-role',
      Arn: 'arn:aws:iam::000000000000:role/cli-role',
      AssumeRolePolicyDocument: JSON.parse(TRUST),
      Tags: [{ Key: 'lab', Value: 'cli' }],
    });
    const got = await aws('iam', 'get-role', '--role-name', 'cli-role');
    expect(got.json['Role']).toMatchObject({
      AssumeRolePolicyDocument: JSON.parse(TRUST),
      MaxSessionDuration: 3600,
    });
  });

  it('iam put-role-policy, then get-role-policy and simulate-principal-policy', async () => {
    const put = await aws(
      'iam',
      'put-role-policy',
      '--role-name',
      'cli-role',
      '--policy-name',
      'put',
      '--policy-document',
      PUT,
    );
    expect(put.code).toBe(0);
    expect(put.stdout.trim()).toBe('');
    const got = await aws('iam', 'get-role-policy', '--role-name', 'cli-role', '--policy-name', 'put');
    expect(got.json).toEqual({ RoleName: 'cli-role', PolicyName: 'put', PolicyDocument: JSON.parse(PUT) });
    const sim = await aws(
      'iam',
      'simulate-principal-policy',
      '--policy-source-arn',
      'arn:aws:iam::000000000000:role/cli-role',
      '--action-names',
      's3:PutObject',
      '--resource-arns',
      'arn:aws:s3:::lab-bucket/incoming/x.png',
    );
    expect(sim.json['EvaluationResults']).toMatchObject([
      { EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'put' }] },
    ]);
  });

  it('reports IAM errors with their code and message', async () => {
    const out = await aws('iam', 'get-role', '--role-name', 'no-such-role');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(
      'An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name no-such-role cannot be found.',
    );
  });
});
