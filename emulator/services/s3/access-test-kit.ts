import { CreateRoleCommand, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { sessionCredentials } from '../../test-support/iam-sts.ts';
import type { TestCredentials } from '../../test-support/clients.ts';

export const ROOT_ARN = 'arn:aws:iam::000000000000:root';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT_ARN }, Action: 'sts:AssumeRole' }],
});

/** A policy document from its statements. */
export const policyOf = (...Statement: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement });

/** A role (with an optional inline identity policy) and a fresh session of it. */
export async function roleSession(
  iam: IAMClient,
  sts: STSClient,
  role: string,
  policy?: string,
): Promise<{ roleArn: string; credentials: TestCredentials }> {
  const created = await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: TRUST }));
  if (policy)
    await iam.send(
      new PutRolePolicyCommand({ RoleName: role, PolicyName: 'inline', PolicyDocument: policy }),
    );
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: created.Role!.Arn!, RoleSessionName: 'test' }));
  return { roleArn: created.Role!.Arn!, credentials: sessionCredentials(out) };
}

/** Where an unsigned request for the object goes (path style). */
export const objectUrl = (base: string, bucket: string, key: string): string => `${base}/${bucket}/${key}`;
