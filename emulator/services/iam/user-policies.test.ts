import {
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeletePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachUserPolicyCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_CREDENTIALS } from '../../test-support/clients.ts';
import { awsFailure, iamClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const LIST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
});
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  // LimitExceeded is a throttling error to the SDK (it retries it, as against AWS): one attempt here.
  iam = iamClient(emulator.url, ROOT_CREDENTIALS, { maxAttempts: 1 });
});
afterAll(() => emulator?.stop());

describe('user and group inline policies', () => {
  it('put, get (URL-encoded document), list and delete, for a user and for a group', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'inline-user' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'inline-group' }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'inline-user', PolicyName: 'list', PolicyDocument: LIST }),
    );
    await iam.send(
      new PutGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'list', PolicyDocument: LIST }),
    );
    expect(
      await iam.send(new GetUserPolicyCommand({ UserName: 'inline-user', PolicyName: 'list' })),
    ).toMatchObject({
      UserName: 'inline-user',
      PolicyName: 'list',
      PolicyDocument: encodeURIComponent(LIST),
    });
    expect(
      await iam.send(new GetGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'list' })),
    ).toMatchObject({
      GroupName: 'inline-group',
      PolicyName: 'list',
      PolicyDocument: encodeURIComponent(LIST),
    });
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'inline-user' }))).PolicyNames).toEqual([
      'list',
    ]);
    expect((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'inline-group' }))).PolicyNames).toEqual(
      ['list'],
    );

    expect(await awsFailure(iam.send(new DeleteUserCommand({ UserName: 'inline-user' })))).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must delete policies first.',
    });
    expect(await awsFailure(iam.send(new DeleteGroupCommand({ GroupName: 'inline-group' })))).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must delete policies first.',
    });
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'inline-user', PolicyName: 'list' }));
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'list' }));
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'inline-user' }))).PolicyNames).toEqual(
      [],
    );
    await iam.send(new DeleteUserCommand({ UserName: 'inline-user' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'inline-group' }));
  });

  it('keeps policies whose names are also JavaScript object keys', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'odd-names' }));
    for (const PolicyName of ['__proto__', 'constructor'])
      expect(
        (await awsFailure(iam.send(new GetUserPolicyCommand({ UserName: 'odd-names', PolicyName })))).code,
      ).toBe('NoSuchEntity');
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'odd-names', PolicyName: '__proto__', PolicyDocument: LIST }),
    );
    expect(
      (await iam.send(new GetUserPolicyCommand({ UserName: 'odd-names', PolicyName: '__proto__' })))
        .PolicyDocument,
    ).toBe(encodeURIComponent(LIST));
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'odd-names' }))).PolicyNames).toEqual([
      '__proto__',
    ]);
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'odd-names', PolicyName: '__proto__' }));
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'odd-names' }))).PolicyNames).toEqual([]);
  });

  it('answers each error as IAM does', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'err-user' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'err-group' }));
    expect(
      await awsFailure(
        iam.send(new PutUserPolicyCommand({ UserName: 'ghost', PolicyName: 'p', PolicyDocument: LIST })),
      ),
    ).toEqual({ code: 'NoSuchEntity', status: 404, message: 'The user with name ghost cannot be found.' });
    expect(
      await awsFailure(
        iam.send(new PutGroupPolicyCommand({ GroupName: 'ghost', PolicyName: 'p', PolicyDocument: LIST })),
      ),
    ).toEqual({ code: 'NoSuchEntity', status: 404, message: 'The group with name ghost cannot be found.' });
    expect(
      await awsFailure(iam.send(new GetUserPolicyCommand({ UserName: 'err-user', PolicyName: 'absent' }))),
    ).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The user policy with name absent cannot be found.',
    });
    expect(
      await awsFailure(iam.send(new GetGroupPolicyCommand({ GroupName: 'err-group', PolicyName: 'absent' }))),
    ).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The group policy with name absent cannot be found.',
    });
    expect(
      await awsFailure(
        iam.send(
          new PutUserPolicyCommand({ UserName: 'err-user', PolicyName: 'p', PolicyDocument: '{not json' }),
        ),
      ),
    ).toEqual({ code: 'MalformedPolicyDocument', status: 400, message: 'This policy contains invalid Json' });
    expect(
      await awsFailure(
        iam.send(
          new PutGroupPolicyCommand({ GroupName: 'err-group', PolicyName: 'p', PolicyDocument: '{not json' }),
        ),
      ),
    ).toEqual({ code: 'MalformedPolicyDocument', status: 400, message: 'This policy contains invalid Json' });
    // Users may hold 2,048 non-whitespace characters of inline policy, groups 5,120.
    const big = (n: number) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(n)}/*` }],
      });
    expect(
      await awsFailure(
        iam.send(
          new PutUserPolicyCommand({ UserName: 'err-user', PolicyName: 'big', PolicyDocument: big(2100) }),
        ),
      ),
    ).toEqual({
      code: 'LimitExceeded',
      status: 409,
      message: 'Maximum policy size of 2048 bytes exceeded for user err-user',
    });
    await iam.send(
      new PutGroupPolicyCommand({ GroupName: 'err-group', PolicyName: 'big', PolicyDocument: big(2100) }),
    );
    expect(
      (
        await awsFailure(
          iam.send(
            new PutGroupPolicyCommand({
              GroupName: 'err-group',
              PolicyName: 'big2',
              PolicyDocument: big(3100),
            }),
          ),
        )
      ).message,
    ).toBe('Maximum policy size of 5120 bytes exceeded for group err-group');
  });
});

describe('user and group managed policies', () => {
  it('attach (customer and AWS managed), list, detach; DeletePolicy counts user and group attachments', async () => {
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'lab-list', PolicyDocument: LIST })))
      .Policy!.Arn!;
    await iam.send(new CreateUserCommand({ UserName: 'managed-user' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'managed-group' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'managed-user', PolicyArn: arn }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'managed-user', PolicyArn: BASIC }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'managed-group', PolicyArn: arn }));
    expect(
      (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'managed-user' }))).AttachedPolicies,
    ).toEqual([
      { PolicyName: 'lab-list', PolicyArn: arn },
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: BASIC },
    ]);
    expect(
      (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'managed-group' }))).AttachedPolicies,
    ).toEqual([{ PolicyName: 'lab-list', PolicyArn: arn }]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(2);
    expect((await awsFailure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).code).toBe(
      'DeleteConflict',
    );
    expect(await awsFailure(iam.send(new DeleteUserCommand({ UserName: 'managed-user' })))).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must detach all policies first.',
    });
    expect(await awsFailure(iam.send(new DeleteGroupCommand({ GroupName: 'managed-group' })))).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must detach all policies first.',
    });
    await iam.send(new DetachUserPolicyCommand({ UserName: 'managed-user', PolicyArn: arn }));
    await iam.send(new DetachUserPolicyCommand({ UserName: 'managed-user', PolicyArn: BASIC }));
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'managed-group', PolicyArn: arn }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await iam.send(new DeleteUserCommand({ UserName: 'managed-user' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'managed-group' }));
  });

  it('answers each error as IAM does (recorded wordings)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'attach-err' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'attach-err' }));
    const missing = 'arn:aws:iam::000000000000:policy/nonexistent';
    expect(
      await awsFailure(
        iam.send(new AttachUserPolicyCommand({ UserName: 'attach-err', PolicyArn: 'lab-list' })),
      ),
    ).toEqual({ code: 'ValidationError', status: 400, message: 'Invalid ARN:  Could not be parsed!' });
    expect(
      await awsFailure(
        iam.send(new AttachGroupPolicyCommand({ GroupName: 'attach-err', PolicyArn: 'lab-list' })),
      ),
    ).toEqual({ code: 'ValidationError', status: 400, message: 'Invalid ARN:  Could not be parsed!' });
    expect(
      await awsFailure(iam.send(new AttachUserPolicyCommand({ UserName: 'attach-err', PolicyArn: missing }))),
    ).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: `Policy ${missing} does not exist or is not attachable.`,
    });
    expect(
      await awsFailure(
        iam.send(new AttachGroupPolicyCommand({ GroupName: 'attach-err', PolicyArn: missing })),
      ),
    ).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: `Policy ${missing} does not exist or is not attachable.`,
    });
    expect(
      await awsFailure(iam.send(new DetachUserPolicyCommand({ UserName: 'attach-err', PolicyArn: BASIC }))),
    ).toEqual({ code: 'NoSuchEntity', status: 404, message: `Policy ${BASIC} was not found.` });
  });
});
