import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFailure, iamClient } from '../../test-support/iam-sts.ts';
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

describe('SimulatePrincipalPolicy', () => {
  it('answers like the recorded IAM example (managed policy allowing s3:PutObject on *)', async () => {
    const arn = await role('sim-recorded');
    const doc = policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' });
    const managed = (
      await iam.send(new CreatePolicyCommand({ PolicyName: 'sim-put-anything', PolicyDocument: doc }))
    ).Policy!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'sim-recorded', PolicyArn: managed.Arn! }));

    const out = await simulate({
      PolicySourceArn: arn,
      ActionNames: ['s3:PutObject', 's3:GetObjectVersion'],
      ResourceArns: ['arn:aws:s3:::bucket'],
    });
    expect(out.IsTruncated).toBe(false);
    const [put, getVersion] = out.EvaluationResults!;
    const statement = {
      SourcePolicyId: 'sim-put-anything',
      SourcePolicyType: 'IAM Policy',
      StartPosition: { Line: 1, Column: doc.indexOf('[{') + 2 },
      EndPosition: { Line: 1, Column: doc.length - 1 },
    };
    expect(put).toEqual({
      EvalActionName: 's3:PutObject',
      EvalResourceName: 'arn:aws:s3:::bucket',
      EvalDecision: 'allowed',
      MatchedStatements: [statement],
      MissingContextValues: [],
      EvalDecisionDetails: {},
      OrganizationsDecisionDetail: { AllowedByOrganizations: true },
      ResourceSpecificResults: [
        {
          EvalResourceName: 'arn:aws:s3:::bucket',
          EvalResourceDecision: 'allowed',
          MatchedStatements: [statement],
          MissingContextValues: [],
        },
      ],
    });
    expect(getVersion).toMatchObject({
      EvalActionName: 's3:GetObjectVersion',
      EvalDecision: 'implicitDeny',
      MatchedStatements: [],
    });
  });

  it('gives the position of the matched statement in the text as written (1-based, end just past the "}")', async () => {
    const arn = await role('sim-positions');
    const text = [
      '{',
      '  "Version": "2012-10-17",',
      '  "Statement": [',
      '    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" },',
      '    {',
      '      "Effect": "Allow",',
      '      "Action": "s3:PutObject",',
      '      "Resource": "arn:aws:s3:::lab-bucket/incoming/*"',
      '    }',
      '  ]',
      '}',
    ].join('\n');
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'sim-positions', PolicyName: 'lab-put', PolicyDocument: text }),
    );
    const out = await simulate({
      PolicySourceArn: arn,
      ActionNames: ['s3:PutObject'],
      ResourceArns: ['arn:aws:s3:::lab-bucket/incoming/cat.png'],
    });
    expect(out.EvaluationResults![0]!.MatchedStatements).toEqual([
      {
        SourcePolicyId: 'lab-put',
        SourcePolicyType: 'IAM Policy',
        StartPosition: { Line: 5, Column: 5 },
        EndPosition: { Line: 9, Column: 6 },
      },
    ]);
  });

  it('scopes by resource: the key prefix counts, and a bucket-ARN grant does not cover objects', async () => {
    const arn = await role('sim-scope');
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'sim-scope',
        PolicyName: 'put',
        PolicyDocument: policy({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::lab-bucket/incoming/*',
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'sim-scope',
        PolicyName: 'bucket-only',
        PolicyDocument: policy({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::other-bucket',
        }),
      }),
    );
    const decisions = (
      await simulate({
        PolicySourceArn: arn,
        ActionNames: ['s3:PutObject'],
        ResourceArns: [
          'arn:aws:s3:::lab-bucket/incoming/a/b.png',
          'arn:aws:s3:::lab-bucket/elsewhere/b.png',
          'arn:aws:s3:::other-bucket/b.png',
        ],
      })
    ).EvaluationResults!.map((r) => r.EvalDecision);
    expect(decisions).toEqual(['allowed', 'implicitDeny', 'implicitDeny']);
  });

  it('reports an explicit deny with the denying statement', async () => {
    const arn = await role('sim-deny');
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'sim-deny',
        PolicyName: 'allow-all',
        PolicyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'sim-deny',
        PolicyName: 'no-put',
        PolicyDocument: policy({ Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }),
      }),
    );
    const [result] = (await simulate({ PolicySourceArn: arn, ActionNames: ['s3:PutObject'] }))
      .EvaluationResults!;
    expect(result!.EvalDecision).toBe('explicitDeny');
    expect(result!.EvalResourceName).toBe('*');
    expect(result!.MatchedStatements!.map((s) => s.SourcePolicyId)).toEqual(['no-put']);
  });

  it('evaluates conditions against ContextEntries and names the missing ones', async () => {
    const arn = await role('sim-context');
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'sim-context',
        PolicyName: 'conditional',
        PolicyDocument: policy({
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': '000000000000' } },
        }),
      }),
    );
    const without = (await simulate({ PolicySourceArn: arn, ActionNames: ['lambda:InvokeFunction'] }))
      .EvaluationResults![0]!;
    expect(without).toMatchObject({
      EvalDecision: 'implicitDeny',
      MissingContextValues: ['aws:SourceAccount'],
    });
    const withContext = (
      await simulate({
        PolicySourceArn: arn,
        ActionNames: ['lambda:InvokeFunction'],
        ContextEntries: [
          {
            ContextKeyName: 'aws:SourceAccount',
            ContextKeyValues: ['000000000000'],
            ContextKeyType: 'string',
          },
        ],
      })
    ).EvaluationResults![0]!;
    expect(withContext).toMatchObject({ EvalDecision: 'allowed', MissingContextValues: [] });
  });

  it('adds PolicyInputList policies to the role’s own', async () => {
    const arn = await role('sim-input');
    const out = await simulate({
      PolicySourceArn: arn,
      ActionNames: ['s3:GetObject'],
      PolicyInputList: [policy({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' })],
    });
    expect(out.EvaluationResults![0]).toMatchObject({
      EvalDecision: 'allowed',
      MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1' }],
    });
  });

  it('refuses an unknown role', async () => {
    expect(
      await awsFailure(
        simulate({ PolicySourceArn: 'arn:aws:iam::000000000000:role/ghost', ActionNames: ['s3:GetObject'] }),
      ),
    ).toMatchObject({ code: 'NoSuchEntity', status: 404 });
  });
});
