import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFailure, iamClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const PUT_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::lab-bucket/incoming/*' }],
});

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
});
afterAll(() => emulator?.stop());

const createRole = (RoleName: string) =>
  iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: TRUST }));

describe('inline role policies', () => {
  it('puts, gets (URL-encoded, as IAM sends it), lists and deletes', async () => {
    await createRole('inline-role');
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'put', PolicyDocument: PUT_POLICY }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'inline-role',
        PolicyName: 'another',
        PolicyDocument: PUT_POLICY,
      }),
    );
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'put' }));
    expect(got.RoleName).toBe('inline-role');
    expect(got.PolicyName).toBe('put');
    expect(got.PolicyDocument).toBe(encodeURIComponent(PUT_POLICY));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }))).PolicyNames).toEqual([
      'another',
      'put',
    ]);

    expect(await awsFailure(iam.send(new DeleteRoleCommand({ RoleName: 'inline-role' })))).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must delete policies first.',
    });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'put' }));
    expect(
      await awsFailure(iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'put' }))),
    ).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The role policy with name put cannot be found.',
    });
    expect(
      (
        await awsFailure(
          iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'put' })),
        )
      ).code,
    ).toBe('NoSuchEntity');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'another' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'inline-role' }));
  });

  it.each([
    ['invalid JSON', '{"Version": "2012-10-17", ', 'This policy contains invalid Json'],
    [
      'a Principal in an identity policy',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }),
      'Policy document should not specify a principal.',
    ],
    [
      'no Resource',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*' }] }),
      'Policy statement must contain resources.',
    ],
    [
      'no Action',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Resource: '*' }] }),
      'Policy statement must contain actions.',
    ],
    [
      'an action without a service prefix',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'PutObject', Resource: '*' }] }),
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
  ])('refuses %s with MalformedPolicyDocument', async (_name, PolicyDocument, message) => {
    await createRole('strict-role').catch(() => undefined);
    expect(
      await awsFailure(
        iam.send(new PutRolePolicyCommand({ RoleName: 'strict-role', PolicyName: 'p', PolicyDocument })),
      ),
    ).toEqual({
      code: 'MalformedPolicyDocument',
      status: 400,
      message,
    });
  });

  it('keeps policies whose names are also JavaScript object keys', async () => {
    await createRole('odd-names');
    for (const PolicyName of ['__proto__', 'constructor'])
      expect(
        (await awsFailure(iam.send(new GetRolePolicyCommand({ RoleName: 'odd-names', PolicyName })))).code,
      ).toBe('NoSuchEntity');
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'odd-names',
        PolicyName: '__proto__',
        PolicyDocument: PUT_POLICY,
      }),
    );
    expect(
      (await iam.send(new GetRolePolicyCommand({ RoleName: 'odd-names', PolicyName: '__proto__' })))
        .PolicyDocument,
    ).toBe(encodeURIComponent(PUT_POLICY));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'odd-names' }))).PolicyNames).toEqual([
      '__proto__',
    ]);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'odd-names', PolicyName: '__proto__' }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'odd-names' }))).PolicyNames).toEqual([]);
  });

  it('refuses a policy for a role that does not exist', async () => {
    expect(
      await awsFailure(
        iam.send(
          new PutRolePolicyCommand({ RoleName: 'ghost', PolicyName: 'p', PolicyDocument: PUT_POLICY }),
        ),
      ),
    ).toMatchObject({ code: 'NoSuchEntity', message: 'The role with name ghost cannot be found.' });
  });
});
