import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  PutGroupPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { awsFailure, iamClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const PUT_ANYWHERE = policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' });

let emulator: TestEmulator;
let iam: IAMClient;
let putPolicyArn: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
  putPolicyArn = (
    await iam.send(new CreatePolicyCommand({ PolicyName: 'put-anywhere', PolicyDocument: PUT_ANYWHERE }))
  ).Policy!.Arn!;
});
afterAll(() => emulator?.stop());

/** PutObject on `*` and GetObjectVersion on a bucket, as the IAM recording asks them. */
async function decisions(PolicySourceArn: string) {
  const out = await iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn,
      ActionNames: ['s3:PutObject', 's3:GetObjectVersion'],
      ResourceArns: ['arn:aws:s3:::bucket'],
    }),
  );
  return out.EvaluationResults!.map((r) => ({
    action: r.EvalActionName,
    decision: r.EvalDecision,
    matched: r.MatchedStatements!.map((m) => [m.SourcePolicyId, m.SourcePolicyType]),
  }));
}

describe('SimulatePrincipalPolicy with users and groups', () => {
  it('answers for a user and for a group exactly as for a role (recorded: identical for all three)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sim-user' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'sim-user', PolicyArn: putPolicyArn }));
    await iam.send(new CreateGroupCommand({ GroupName: 'sim-group' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'sim-group', PolicyArn: putPolicyArn }));
    const expected = [
      { action: 's3:PutObject', decision: 'allowed', matched: [['put-anywhere', 'IAM Policy']] },
      { action: 's3:GetObjectVersion', decision: 'implicitDeny', matched: [] },
    ];
    expect(await decisions('arn:aws:iam::000000000000:user/sim-user')).toEqual(expected);
    expect(await decisions('arn:aws:iam::000000000000:group/sim-group')).toEqual(expected);
  });

  it('counts a user’s groups’ policies, and a group’s Deny wins over the user’s Allow', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sim-member' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'sim-granting' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'sim-granting', PolicyArn: putPolicyArn }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'sim-granting', UserName: 'sim-member' }));
    const user = 'arn:aws:iam::000000000000:user/sim-member';
    expect((await decisions(user))[0]).toMatchObject({ decision: 'allowed' });

    await iam.send(new CreateGroupCommand({ GroupName: 'sim-denying' }));
    await iam.send(
      new PutGroupPolicyCommand({
        GroupName: 'sim-denying',
        PolicyName: 'no-put',
        PolicyDocument: policy({ Effect: 'Deny', Action: 's3:Put*', Resource: '*' }),
      }),
    );
    await iam.send(new AddUserToGroupCommand({ GroupName: 'sim-denying', UserName: 'sim-member' }));
    expect((await decisions(user))[0]).toEqual({
      action: 's3:PutObject',
      decision: 'explicitDeny',
      matched: [['no-put', 'IAM Policy']],
    });
  });

  it('agrees with the authorization of the user’s own requests (one engine)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sim-signer' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'sim-signer' }))).AccessKey!;
    const s3 = s3Client(emulator.url, {
      accessKeyId: key.AccessKeyId!,
      secretAccessKey: key.SecretAccessKey!,
    });
    await s3Client(emulator.url).send(new CreateBucketCommand({ Bucket: 'sim-users-bucket' }));
    const put = () => s3.send(new PutObjectCommand({ Bucket: 'sim-users-bucket', Key: 'k', Body: 'x' }));
    const user = 'arn:aws:iam::000000000000:user/sim-signer';
    expect((await decisions(user))[0]!.decision).toBe('implicitDeny');
    expect((await awsFailure(put())).code).toBe('AccessDenied');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'sim-signer', PolicyArn: putPolicyArn }));
    expect((await decisions(user))[0]!.decision).toBe('allowed');
    await put();
    s3.destroy();
  });

  it('refuses an unknown user or group ARN with 404 NoSuchEntity', async () => {
    const simulate = (PolicySourceArn: string) =>
      awsFailure(
        iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn, ActionNames: ['s3:PutObject'] })),
      );
    expect(await simulate('arn:aws:iam::000000000000:user/ghost')).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The user with name ghost cannot be found.',
    });
    expect(await simulate('arn:aws:iam::000000000000:group/ghosts')).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The group with name ghosts cannot be found.',
    });
    // The ARN must match exactly, path included.
    await iam.send(new CreateUserCommand({ UserName: 'pathed', Path: '/class/' }));
    expect((await simulate('arn:aws:iam::000000000000:user/pathed')).code).toBe('NoSuchEntity');
  });
});
