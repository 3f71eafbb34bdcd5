import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from './deploy.ts';
import type { StaticCredentials } from './lib/target.ts';
import { testClients } from './test-support/clients.ts';
import {
  EMULATOR_MISSING,
  startLocalStack,
  TEST_CREDENTIALS,
  type LocalStack,
} from './test-support/local-stack.ts';

/** A role the deploy runs as, allowed S3 only: the first IAM call must be refused, by name. */
async function limitedCredentials(stack: LocalStack): Promise<StaticCredentials> {
  const aws = testClients(stack.endpoint);
  const sts = new STSClient({ region: 'us-east-1', endpoint: stack.endpoint, credentials: TEST_CREDENTIALS });
  try {
    const RoleName = 's3-only-deployer';
    const role = await aws.iam.send(
      new CreateRoleCommand({
        RoleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::000000000000:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await aws.iam.send(
      new PutRolePolicyCommand({
        RoleName,
        PolicyName: 's3-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
        }),
      }),
    );
    const session = await sts.send(
      new AssumeRoleCommand({ RoleArn: role.Role?.Arn, RoleSessionName: 'deploy-test' }),
    );
    const c = session.Credentials;
    return {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    };
  } finally {
    aws.destroy();
    sts.destroy();
  }
}

describe.skipIf(EMULATOR_MISSING)('deploy with too few permissions', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('fails with LAB_MISSING_PERMISSION naming the IAM action that was refused', async () => {
    const credentials = await limitedCredentials(stack);
    const attempt = deploy({ endpoint: stack.endpoint, credentials, name: 'perm-test', outputsFile: false });
    await expect(attempt).rejects.toMatchObject({ code: 'LAB_MISSING_PERMISSION', action: 'iam:GetRole' });
    await expect(attempt).rejects.toThrow(
      /^LAB_MISSING_PERMISSION: your identity may not perform iam:GetRole/,
    );
  });

  it('fails with LAB_NO_CREDENTIALS when the endpoint does not know the key', async () => {
    const attempt = deploy({
      endpoint: stack.endpoint,
      credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'nope' },
      outputsFile: false,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'LAB_NO_CREDENTIALS' });
  });
});
