import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.ts';
import { awsFailure, iamClient, sessionCredentials, stsClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
  ],
});
const ALLOW_GET_ROLE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }],
});

// §11.1: an identity-policy change reaches authorization after a delay; the previous decision
// holds meanwhile, in request authorization and SimulatePrincipalPolicy alike.
describe('identity policies under --consistency aws', () => {
  let emulator: TestEmulator;
  let iam: IAMClient;

  beforeAll(async () => {
    emulator = await startTestEmulator({ consistency: 'aws' });
    iam = iamClient(emulator.url);
  });
  afterAll(() => emulator?.stop());

  /** A role and a client signed by a session of it. */
  async function roleSession(name: string): Promise<{ arn: string; client: IAMClient }> {
    const role = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }));
    const session = await stsClient(emulator.url).send(
      new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: 'test' }),
    );
    return { arn: role.Role!.Arn!, client: iamClient(emulator.url, sessionCredentials(session)) };
  }
  const decision = async (arn: string) =>
    (
      await iam.send(
        new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: ['iam:GetRole'] }),
      )
    ).EvaluationResults?.[0]?.EvalDecision;
  const getRole = (client: IAMClient, name: string) => client.send(new GetRoleCommand({ RoleName: name }));

  it('keeps the previous decision until a new policy is in force, then allows; and the same for its removal', async () => {
    const { arn, client } = await roleSession('delayed');
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'delayed', PolicyName: 'get', PolicyDocument: ALLOW_GET_ROLE }),
    );
    expect(await awsFailure(getRole(client, 'delayed'))).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(await decision(arn)).toBe('implicitDeny');
    await eventually(() => getRole(client, 'delayed'), { what: 'the new policy in force' });
    expect(await decision(arn)).toBe('allowed');

    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'delayed', PolicyName: 'get' }));
    expect((await getRole(client, 'delayed')).Role?.RoleName).toBe('delayed');
    await eventually(() => awsFailure(getRole(client, 'delayed')), { what: 'the removal in force' });
    expect(await decision(arn)).toBe('implicitDeny');
  });

  it('puts a pending change in force at once after a restart (it never vanishes)', async () => {
    const { client } = await roleSession('restarted');
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'restarted', PolicyName: 'get', PolicyDocument: ALLOW_GET_ROLE }),
    );
    await emulator.stopKeepingData();
    emulator = await startTestEmulator({ dataDir: emulator.dataDir, consistency: 'aws' });
    iam = iamClient(emulator.url);
    const credentials = await client.config.credentials();
    const after = iamClient(emulator.url, credentials);
    expect((await getRole(after, 'restarted')).Role?.RoleName).toBe('restarted');
  });
});

// The same delay for IAM users: their own policies and those that reach them through a group.
describe('user and group policies under --consistency aws', () => {
  let emulator: TestEmulator;
  let iam: IAMClient;

  beforeAll(async () => {
    emulator = await startTestEmulator({ consistency: 'aws' });
    iam = iamClient(emulator.url);
  });
  afterAll(() => emulator?.stop());

  async function userClient(name: string): Promise<IAMClient> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return iamClient(emulator.url, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
  }
  const getRoleAs = (client: IAMClient) =>
    client.send(new GetRoleCommand({ RoleName: 'target' })).then(
      () => 'allowed',
      (err: Error) => err.name,
    );

  it("holds the previous decision for a user's new inline policy, and for a group policy it gains", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'target', AssumeRolePolicyDocument: TRUST }));
    const alice = await userClient('alice');
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'get', PolicyDocument: ALLOW_GET_ROLE }),
    );
    expect(await getRoleAs(alice)).toBe('AccessDenied');
    await eventually(async () => ((await getRoleAs(alice)) === 'allowed' ? true : undefined));

    const bob = await userClient('bob');
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(
      new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'get', PolicyDocument: ALLOW_GET_ROLE }),
    );
    await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'bob' }));
    expect(await getRoleAs(bob)).toBe('AccessDenied');
    await eventually(async () => ((await getRoleAs(bob)) === 'allowed' ? true : undefined));
  });
});
