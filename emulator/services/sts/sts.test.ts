import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
  UpdateRoleCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFailure, iamClient, sessionCredentials, stsClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const trust = (Principal: unknown) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }],
  });

let emulator: TestEmulator;
let iam: IAMClient;
let sts: STSClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
  sts = stsClient(emulator.url);
});
afterAll(() => emulator?.stop());

async function createRole(RoleName: string, principal: unknown): Promise<string> {
  return (await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust(principal) })))
    .Role!.Arn!;
}

describe('GetCallerIdentity', () => {
  it('names the root user for the test keys', async () => {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect({ UserId: me.UserId, Account: me.Account, Arn: me.Arn }).toEqual({
      UserId: '000000000000',
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
    });
  });

  it('names the assumed-role session for session keys, and needs no permission', async () => {
    const arn = await createRole('caller-role', { AWS: 'arn:aws:iam::000000000000:root' });
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'who-am-i' }));
    const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'caller-role' }))).Role!.RoleId!;
    const me = await stsClient(emulator.url, sessionCredentials(out)).send(new GetCallerIdentityCommand({}));
    expect({ UserId: me.UserId, Account: me.Account, Arn: me.Arn }).toEqual({
      UserId: `${roleId}:who-am-i`,
      Account: '000000000000',
      Arn: 'arn:aws:sts::000000000000:assumed-role/caller-role/who-am-i',
    });
  });
});

describe('AssumeRole', () => {
  it('issues temporary credentials with the session identity and expiry', async () => {
    const arn = await createRole('assumable', { AWS: '000000000000' });
    const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'assumable' }))).Role!.RoleId!;
    const before = Date.now();
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ticket@lab', DurationSeconds: 900 }),
    );
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: `${roleId}:ticket@lab`,
      Arn: 'arn:aws:sts::000000000000:assumed-role/assumable/ticket@lab',
    });
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey).toHaveLength(40);
    expect(c.SessionToken).toBeTruthy();
    const lifetime = c.Expiration!.getTime() - before;
    expect(lifetime).toBeGreaterThan(890_000);
    expect(lifetime).toBeLessThanOrEqual(901_000);
  });

  it.each([
    ['the account root ARN', { AWS: 'arn:aws:iam::000000000000:root' }],
    ['the account id', { AWS: '000000000000' }],
    ['any AWS principal', { AWS: '*' }],
  ])('lets root assume a role whose trust policy names %s', async (_name, principal) => {
    const arn = await createRole(
      `trust-${Object.values(principal)[0]!.replace(/[^a-z0-9]/gi, '')}`.slice(0, 64),
      principal,
    );
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ok' }));
    expect(out.Credentials?.AccessKeyId).toBeTruthy();
  });

  it('refuses a caller the trust policy does not name (a Lambda-only role), with AWS’s message', async () => {
    const arn = await createRole('lambda-only', { Service: 'lambda.amazonaws.com' });
    expect(
      await awsFailure(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'me' }))),
    ).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
    });
    const other = await createRole('other-account', { AWS: '111111111111' });
    expect(
      (await awsFailure(sts.send(new AssumeRoleCommand({ RoleArn: other, RoleSessionName: 'me' })))).code,
    ).toBe('AccessDenied');
  });

  it('refuses an unknown role the same way as an untrusting one', async () => {
    const arn = 'arn:aws:iam::000000000000:role/does-not-exist';
    expect(
      await awsFailure(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'me' }))),
    ).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
    });
  });

  it('validates the session name and duration', async () => {
    const arn = await createRole('validated', { AWS: '000000000000' });
    const badName = await awsFailure(
      sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'has space' })),
    );
    expect(badName).toMatchObject({ code: 'ValidationError', status: 400 });
    expect(badName.message).toContain(
      "at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    expect(
      (await awsFailure(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'x' })))).message,
    ).toContain('Member must have length greater than or equal to 2');
    expect(
      (
        await awsFailure(
          sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ok', DurationSeconds: 899 })),
        )
      ).message,
    ).toContain(
      "at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    expect(
      await awsFailure(
        sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ok', DurationSeconds: 7200 })),
      ),
    ).toEqual({
      code: 'ValidationError',
      status: 400,
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    await iam.send(new UpdateRoleCommand({ RoleName: 'validated', MaxSessionDuration: 7200 }));
    await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ok', DurationSeconds: 7200 }));
  });

  it('lets a role session assume another role only if its own policies allow sts:AssumeRole', async () => {
    const first = await createRole('chain-first', { AWS: '000000000000' });
    const second = await createRole('chain-second', { AWS: '000000000000' });
    const asFirst = stsClient(
      emulator.url,
      sessionCredentials(await sts.send(new AssumeRoleCommand({ RoleArn: first, RoleSessionName: 'first' }))),
    );
    const denied = await awsFailure(
      asFirst.send(new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'second' })),
    );
    expect(denied).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(denied.message).toContain('is not authorized to perform: sts:AssumeRole on resource: ' + second);
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'chain-first',
        PolicyName: 'may-assume',
        PolicyDocument: JSON.stringify({
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: second }],
        }),
      }),
    );
    const chained = await asFirst.send(new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'second' }));
    expect(chained.AssumedRoleUser?.Arn).toBe('arn:aws:sts::000000000000:assumed-role/chain-second/second');
  });

  it('ends the sessions of a deleted role', async () => {
    const arn = await createRole('doomed', { AWS: '000000000000' });
    const creds = sessionCredentials(
      await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'last' })),
    );
    const asRole = stsClient(emulator.url, creds);
    await asRole.send(new GetCallerIdentityCommand({}));
    await iam.send(new DeleteRoleCommand({ RoleName: 'doomed' }));
    expect(await awsFailure(asRole.send(new GetCallerIdentityCommand({})))).toEqual({
      code: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
  });
});
