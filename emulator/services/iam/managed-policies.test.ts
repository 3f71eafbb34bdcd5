import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
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
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
});
afterAll(() => emulator?.stop());

const createRole = (RoleName: string) =>
  iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: TRUST }));

describe('managed policies', () => {
  it('has the AWS-managed AWSLambdaBasicExecutionRole', async () => {
    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: BASIC }))).Policy!;
    expect(policy).toMatchObject({
      PolicyName: 'AWSLambdaBasicExecutionRole',
      Path: '/service-role/',
      DefaultVersionId: 'v1',
    });
    const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: BASIC, VersionId: 'v1' })))
      .PolicyVersion!;
    const doc = JSON.parse(decodeURIComponent(version.Document!)) as {
      Statement: Array<{ Action: string[] }>;
    };
    expect(doc.Statement[0]!.Action).toEqual([
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    expect(aws.Policies!.map((p) => p.Arn)).toContain(BASIC);
  });

  it('creates, gets, lists, attaches, detaches and deletes a customer-managed policy', async () => {
    const created = (
      await iam.send(
        new CreatePolicyCommand({ PolicyName: 'lab-put', PolicyDocument: PUT_POLICY, Description: 'put' }),
      )
    ).Policy!;
    expect(created).toMatchObject({
      Arn: 'arn:aws:iam::000000000000:policy/lab-put',
      PolicyName: 'lab-put',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      IsAttachable: true,
      Path: '/',
    });
    expect(created.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect(
      await awsFailure(
        iam.send(new CreatePolicyCommand({ PolicyName: 'lab-put', PolicyDocument: PUT_POLICY })),
      ),
    ).toEqual({
      code: 'EntityAlreadyExists',
      status: 409,
      message: 'A policy called lab-put already exists. Duplicate names are not allowed.',
    });
    expect(
      (await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies!.map((p) => p.PolicyName),
    ).toEqual(['lab-put']);

    await createRole('managed-role');
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'managed-role', PolicyArn: created.Arn! }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'managed-role', PolicyArn: BASIC }));
    expect(
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'managed-role' }))).AttachedPolicies,
    ).toEqual([
      { PolicyName: 'lab-put', PolicyArn: created.Arn },
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: BASIC },
    ]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: created.Arn! }))).Policy!.AttachmentCount).toBe(
      1,
    );
    expect(await awsFailure(iam.send(new DeleteRoleCommand({ RoleName: 'managed-role' })))).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must detach all policies first.',
    });
    expect((await awsFailure(iam.send(new DeletePolicyCommand({ PolicyArn: created.Arn! })))).code).toBe(
      'DeleteConflict',
    );

    await iam.send(new DetachRolePolicyCommand({ RoleName: 'managed-role', PolicyArn: created.Arn! }));
    expect(
      await awsFailure(
        iam.send(new DetachRolePolicyCommand({ RoleName: 'managed-role', PolicyArn: created.Arn! })),
      ),
    ).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: 'Policy arn:aws:iam::000000000000:policy/lab-put was not found.',
    });
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'managed-role', PolicyArn: BASIC }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'managed-role' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: created.Arn! }));
    expect((await awsFailure(iam.send(new GetPolicyCommand({ PolicyArn: created.Arn! })))).code).toBe(
      'NoSuchEntity',
    );
  });

  it('refuses to attach what does not exist or is not an ARN', async () => {
    await createRole('attach-errors');
    expect(
      await awsFailure(
        iam.send(
          new AttachRolePolicyCommand({
            RoleName: 'attach-errors',
            PolicyArn: 'arn:aws:iam::000000000000:policy/missing',
          }),
        ),
      ),
    ).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: 'Policy arn:aws:iam::000000000000:policy/missing does not exist or is not attachable.',
    });
    expect(
      await awsFailure(
        iam.send(new AttachRolePolicyCommand({ RoleName: 'attach-errors', PolicyArn: 'justaname' })),
      ),
    ).toEqual({
      code: 'ValidationError',
      status: 400,
      message: 'Invalid ARN:  Could not be parsed!',
    });
  });

  it('keeps versions: create, set default, list newest first, delete', async () => {
    const arn = (
      await iam.send(new CreatePolicyCommand({ PolicyName: 'versioned', PolicyDocument: PUT_POLICY }))
    ).Policy!.Arn!;
    const v2 = (
      await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: PUT_POLICY, SetAsDefault: true }),
      )
    ).PolicyVersion!;
    expect(v2).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
    expect(versions.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v2', false],
      ['v1', true],
    ]);
    expect(
      await awsFailure(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }))),
    ).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete the default version of a policy.',
    });
    expect(
      await awsFailure(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' }))),
    ).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: `Policy ${arn} version v9 does not exist or is not attachable.`,
    });
    for (let i = 0; i < 3; i++)
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: PUT_POLICY }));
    // The SDK treats LimitExceeded as throttling and would retry with backoff; one attempt is enough here.
    const once = iamClient(emulator.url, undefined, { maxAttempts: 1 });
    expect(
      await awsFailure(
        once.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: PUT_POLICY })),
      ),
    ).toEqual({
      code: 'LimitExceeded',
      status: 409,
      message:
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    });
    expect((await awsFailure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).code).toBe(
      'DeleteConflict',
    );
    for (const VersionId of ['v2', 'v3', 'v4', 'v5'])
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  });
});
