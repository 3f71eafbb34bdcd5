import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_CREDENTIALS } from '../../test-support/clients.ts';
import { awsFailure, iamClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  // LimitExceeded is a throttling error to the SDK (it retries it, as against AWS): one attempt here.
  iam = iamClient(emulator.url, ROOT_CREDENTIALS, { maxAttempts: 1 });
});
afterAll(() => emulator?.stop());

describe('access keys', () => {
  it('creates AKIA keys with 40-character secrets, lists, deactivates, reactivates and deletes them', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'key-user' }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'key-user' }))).AccessKeyMetadata).toEqual(
      [],
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'key-user' }))).AccessKey!;
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.SecretAccessKey).toHaveLength(40);
    expect(key).toMatchObject({ UserName: 'key-user', Status: 'Active' });
    expect(key.CreateDate).toBeInstanceOf(Date);

    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'key-user' }));
    expect(listed.AccessKeyMetadata).toEqual([
      { UserName: 'key-user', AccessKeyId: key.AccessKeyId, Status: 'Active', CreateDate: key.CreateDate },
    ]);
    expect(listed.IsTruncated).toBe(false);
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: 'key-user', AccessKeyId: key.AccessKeyId!, Status: 'Inactive' }),
    );
    expect(
      (await iam.send(new ListAccessKeysCommand({ UserName: 'key-user' }))).AccessKeyMetadata![0]!.Status,
    ).toBe('Inactive');
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: 'key-user', AccessKeyId: key.AccessKeyId!, Status: 'Active' }),
    );

    expect(await awsFailure(iam.send(new DeleteUserCommand({ UserName: 'key-user' })))).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must delete access keys first.',
    });
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'key-user', AccessKeyId: key.AccessKeyId! }));
    await iam.send(new DeleteUserCommand({ UserName: 'key-user' }));
  });

  it('allows two keys per user, Active or Inactive, then LimitExceeded', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'two-keys' }));
    const first = (await iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' }))).AccessKey!;
    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: 'two-keys',
        AccessKeyId: first.AccessKeyId!,
        Status: 'Inactive',
      }),
    );
    await iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' }));
    expect(await awsFailure(iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' })))).toEqual({
      code: 'LimitExceeded',
      status: 409,
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
    });
  });

  it('answers each error as IAM does', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'key-err' }));
    expect(await awsFailure(iam.send(new CreateAccessKeyCommand({ UserName: 'ghost' })))).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The user with name ghost cannot be found.',
    });
    const notFound = {
      code: 'NoSuchEntity',
      status: 404,
      message: 'The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.',
    };
    expect(
      await awsFailure(
        iam.send(
          new UpdateAccessKeyCommand({
            UserName: 'key-err',
            AccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
            Status: 'Active',
          }),
        ),
      ),
    ).toEqual(notFound);
    expect(
      await awsFailure(
        iam.send(new DeleteAccessKeyCommand({ UserName: 'key-err', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' })),
      ),
    ).toEqual(notFound);
    // Root has no user to fall back on (recorded from IAM for a non-user caller).
    expect(
      await awsFailure(iam.send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }))),
    ).toEqual({
      code: 'ValidationError',
      status: 400,
      message: 'Must specify userName when calling with non-User credentials',
    });
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'key-err' }))).AccessKey!;
    const bad = await awsFailure(
      iam.send(
        new UpdateAccessKeyCommand({
          UserName: 'key-err',
          AccessKeyId: key.AccessKeyId!,
          Status: 'Paused' as 'Active',
        }),
      ),
    );
    expect(bad).toEqual({
      code: 'ValidationError',
      status: 400,
      message:
        "1 validation error detected: Value 'Paused' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]",
    });
  });
});
