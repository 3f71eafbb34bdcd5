import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamClient, sessionCredentials, stsClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const ROOT_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
  ],
});
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
});
afterAll(() => emulator?.stop());

async function role(name: string): Promise<string> {
  const out = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ROOT_TRUST }));
  return out.Role!.Arn!;
}

const simulate = (input: SimulatePrincipalPolicyCommandInput) =>
  iam.send(new SimulatePrincipalPolicyCommand(input));

describe('one engine: SimulatePrincipalPolicy agrees with request authorization', () => {
  const cases: Array<[string, object[]]> = [
    ['no policy', []],
    ['allow iam:Get*', [{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }]],
    [
      'allow on another role only',
      [{ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::000000000000:role/other' }],
    ],
    [
      'allow all but deny GetRole',
      [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:GetRole', Resource: '*' },
      ],
    ],
    ['NotAction', [{ Effect: 'Allow', NotAction: 'iam:List*', Resource: '*' }]],
    [
      'NotResource',
      [{ Effect: 'Allow', Action: 'iam:*', NotResource: 'arn:aws:iam::000000000000:role/agree-*' }],
    ],
    [
      'condition on the principal account',
      [
        {
          Effect: 'Allow',
          Action: 'iam:*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalAccount': '000000000000' } },
        },
      ],
    ],
    [
      'unknown condition operator',
      [
        {
          Effect: 'Allow',
          Action: 'iam:*',
          Resource: '*',
          Condition: { StringEqualz: { 'aws:PrincipalAccount': '000000000000' } },
        },
      ],
    ],
  ];

  it.each(cases)('%s', async (name, statements) => {
    const roleName = `agree-${name.replace(/[^a-z]+/gi, '-')}`.slice(0, 64);
    const roleArn = await role(roleName);
    if (statements.length)
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: 'p',
          PolicyDocument: policy(...statements),
        }),
      );
    const creds = sessionCredentials(
      await stsClient(emulator.url).send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'agree' }),
      ),
    );
    const asRole = iamClient(emulator.url, creds);
    const probes: Array<[string, string, () => Promise<unknown>]> = [
      ['iam:GetRole', roleArn, () => asRole.send(new GetRoleCommand({ RoleName: roleName }))],
      ['iam:ListRoles', '*', () => asRole.send(new ListRolesCommand({}))],
    ];
    for (const [action, resource, call] of probes) {
      const simulated = (
        await simulate({
          PolicySourceArn: roleArn,
          ActionNames: [action],
          ResourceArns: [resource],
          // The context the emulator gives every role-session request.
          ContextEntries: [
            {
              ContextKeyName: 'aws:PrincipalAccount',
              ContextKeyValues: ['000000000000'],
              ContextKeyType: 'string',
            },
          ],
        })
      ).EvaluationResults![0]!.EvalDecision;
      const actual = await call().then(
        () => 'allowed',
        (err: { Code?: string; message: string }) => {
          expect(err.Code).toBe('AccessDenied');
          return err.message.includes('explicit deny') ? 'explicitDeny' : 'implicitDeny';
        },
      );
      expect({ action, decision: actual }).toEqual({ action, decision: simulated });
    }
    await iam
      .send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: 'p' }))
      .catch(() => undefined);
  });
});
