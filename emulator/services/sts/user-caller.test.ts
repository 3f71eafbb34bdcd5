import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCredentials } from '../../test-support/clients.ts';
import { awsFailure, iamClient, sessionCredentials, stsClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const trust = (AWS: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS }, Action: 'sts:AssumeRole' }],
  });
const mayAssume = (Resource: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource }],
  });

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
});
afterAll(() => emulator?.stop());

async function userKey(UserName: string, policy?: string): Promise<TestCredentials> {
  await iam.send(new CreateUserCommand({ UserName }));
  if (policy) await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: 'p', PolicyDocument: policy }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

const role = async (RoleName: string, principal: string) =>
  (await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust(principal) }))).Role!
    .Arn!;

describe('an IAM user as the caller of STS', () => {
  it('GetCallerIdentity answers the user ARN and its AIDA id, with no permission needed', async () => {
    const creds = await userKey('caller');
    const me = await stsClient(emulator.url, creds).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:iam::000000000000:user/caller');
    expect(me.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(me.Account).toBe('000000000000');
  });

  it('AssumeRole needs the user’s own sts:AssumeRole permission, with AWS’s message', async () => {
    const arn = await role('needs-permission', 'arn:aws:iam::000000000000:user/no-perm');
    const creds = await userKey('no-perm');
    expect(
      await awsFailure(
        stsClient(emulator.url, creds).send(
          new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'student' }),
        ),
      ),
    ).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::000000000000:user/no-perm is not authorized to perform: sts:AssumeRole on resource: ${arn} because no identity-based policy allows the sts:AssumeRole action`,
    });
  });

  it.each([
    ['the user ARN', 'named-user', 'arn:aws:iam::000000000000:user/named-user'],
    ['the account', 'account-user', '000000000000'],
  ])(
    'assumes a role whose trust policy names %s, when its policy allows it',
    async (_what, user, principal) => {
      const name = `trusts-${user}`;
      const arn = await role(name, principal);
      const creds = await userKey(user, mayAssume(arn));
      const out = await stsClient(emulator.url, creds).send(
        new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'student' }),
      );
      expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::000000000000:assumed-role/${name}/student`);
      const me = await stsClient(emulator.url, sessionCredentials(out)).send(
        new GetCallerIdentityCommand({}),
      );
      expect(me.Arn).toBe(`arn:aws:sts::000000000000:assumed-role/${name}/student`);
    },
  );

  it('is refused by a trust policy that names another user', async () => {
    const arn = await role('other-user-only', 'arn:aws:iam::000000000000:user/someone-else');
    const creds = await userKey('outsider', mayAssume('*'));
    expect(
      await awsFailure(
        stsClient(emulator.url, creds).send(
          new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'student' }),
        ),
      ),
    ).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::000000000000:user/outsider is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
    });
  });
});
