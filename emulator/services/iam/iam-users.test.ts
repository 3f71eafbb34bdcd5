import {
  AddUserToGroupCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  GetGroupCommand,
  GetUserCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  waitUntilUserExists,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFailure, iamClient } from '../../test-support/iam-sts.ts';
import { sendSigned, xmlError } from '../../test-support/sign.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
});
afterAll(() => emulator?.stop());

describe('users', () => {
  it('creates a user as IAM answers it (AIDA id, ARN with path, tags), then gets and lists it', async () => {
    const created = (
      await iam.send(
        new CreateUserCommand({
          UserName: 'instructor',
          Path: '/staff/',
          Tags: [{ Key: 'role', Value: 'teacher' }],
        }),
      )
    ).User!;
    expect(created).toMatchObject({
      UserName: 'instructor',
      Path: '/staff/',
      Arn: 'arn:aws:iam::000000000000:user/staff/instructor',
      Tags: [{ Key: 'role', Value: 'teacher' }],
    });
    expect(created.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(created.CreateDate).toBeInstanceOf(Date);

    const got = (await iam.send(new GetUserCommand({ UserName: 'instructor' }))).User!;
    expect(got).toEqual(created);

    await iam.send(new CreateUserCommand({ UserName: 'student' }));
    const listed = await iam.send(new ListUsersCommand({}));
    expect(listed.IsTruncated).toBe(false);
    const mine = listed.Users!.filter((u) => ['instructor', 'student'].includes(u.UserName!));
    expect(mine.map((u) => u.Arn)).toEqual([
      'arn:aws:iam::000000000000:user/staff/instructor',
      'arn:aws:iam::000000000000:user/student',
    ]);
    // Listings leave the tags out, as IAM's do.
    expect(mine[0]!.Tags).toBeUndefined();
    const staff = await iam.send(new ListUsersCommand({ PathPrefix: '/staff' }));
    expect(staff.Users!.map((u) => u.UserName)).toEqual(['instructor']);
  });

  it('satisfies the SDK’s UserExists waiter (GetUser until it stops answering NoSuchEntity)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'waited-for' }));
    const waited = await waitUntilUserExists({ client: iam, maxWaitTime: 10 }, { UserName: 'waited-for' });
    expect(waited.state).toBe('SUCCESS');
  });

  it('tags, untags and lists a user’s tags; an unknown user is NoSuchEntity', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'tagged', Tags: [{ Key: 'key-1', Value: 'value-1' }] }));
    await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'key-2', Value: 'value-2' }] }));
    await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'KEY-1', Value: 'changed' }] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }))).Tags).toEqual([
      { Key: 'key-1', Value: 'changed' },
      { Key: 'key-2', Value: 'value-2' },
    ]);
    await iam.send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['key-2'] }));
    expect((await iam.send(new GetUserCommand({ UserName: 'tagged' }))).User!.Tags).toEqual([
      { Key: 'key-1', Value: 'changed' },
    ]);
    const missing = {
      code: 'NoSuchEntity',
      status: 404,
      message: 'The user with name nobody cannot be found.',
    };
    expect(
      await awsFailure(
        iam.send(new TagUserCommand({ UserName: 'nobody', Tags: [{ Key: 'k', Value: 'v' }] })),
      ),
    ).toEqual(missing);
    expect(await awsFailure(iam.send(new UntagUserCommand({ UserName: 'nobody', TagKeys: ['k'] })))).toEqual(
      missing,
    );
    expect(await awsFailure(iam.send(new ListUserTagsCommand({ UserName: 'nobody' })))).toEqual(missing);
  });

  it('pages ListUsers with MaxItems and Marker', async () => {
    for (const n of [1, 2, 3])
      await iam.send(new CreateUserCommand({ UserName: `paged-${n}`, Path: '/paged/' }));
    const first = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
    expect(first.Users!.map((u) => u.UserName)).toEqual(['paged-1', 'paged-2']);
    expect(first.IsTruncated).toBe(true);
    const rest = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/', Marker: first.Marker! }));
    expect(rest.Users!.map((u) => u.UserName)).toEqual(['paged-3']);
    expect(rest.IsTruncated).toBe(false);
    expect(rest.Marker).toBeUndefined();
  });

  it('refuses a duplicate name (ignoring case) and an unknown user, with IAM’s words', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'dup-user' }));
    expect(await awsFailure(iam.send(new CreateUserCommand({ UserName: 'DUP-user' })))).toEqual({
      code: 'EntityAlreadyExists',
      status: 409,
      message: 'User with name DUP-user already exists.',
    });
    for (const send of [
      () => iam.send(new GetUserCommand({ UserName: 'nobody' })),
      () => iam.send(new DeleteUserCommand({ UserName: 'nobody' })),
      () => iam.send(new ListGroupsForUserCommand({ UserName: 'nobody' })),
    ])
      expect(await awsFailure(send())).toEqual({
        code: 'NoSuchEntity',
        status: 404,
        message: 'The user with name nobody cannot be found.',
      });
  });

  it('validates the name and the path', async () => {
    const bad = await awsFailure(iam.send(new CreateUserCommand({ UserName: 'has space' })));
    expect(bad).toMatchObject({ code: 'ValidationError', status: 400 });
    expect(bad.message).toBe(
      "1 validation error detected: Value 'has space' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    const path = await awsFailure(iam.send(new CreateUserCommand({ UserName: 'ok', Path: 'no-slash' })));
    expect(path).toMatchObject({ code: 'ValidationError', status: 400 });
    expect(path.message).toContain("at 'path' failed to satisfy constraint");
  });

  it('GetUser without UserName answers the root identity for root', async () => {
    const me = (await iam.send(new GetUserCommand({}))).User!;
    expect(me.Arn).toBe('arn:aws:iam::000000000000:root');
    expect(me.UserId).toBe('000000000000');
  });

  it('answers the Query wire format: XML result and a Sender error', async () => {
    const res = await sendSigned({
      url: emulator.url,
      service: 'iam',
      body: 'Action=GetUser&Version=2010-05-08&UserName=wire-nobody',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
    expect(body).toContain('<Type>Sender</Type>');
    expect(xmlError(body)).toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name wire-nobody cannot be found.',
    });
  });
});

describe('groups', () => {
  it('creates a group (AGPA id), adds and removes members, lists both ways', async () => {
    const group = (await iam.send(new CreateGroupCommand({ GroupName: 'students', Path: '/class/' }))).Group!;
    expect(group).toMatchObject({
      GroupName: 'students',
      Path: '/class/',
      Arn: 'arn:aws:iam::000000000000:group/class/students',
    });
    expect(group.GroupId).toMatch(/^AGPA[A-Z2-7]{17}$/);
    await iam.send(new CreateGroupCommand({ GroupName: 'everyone' }));
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'students', UserName: 'alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'students', UserName: 'alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'everyone', UserName: 'alice' }));

    const got = await iam.send(new GetGroupCommand({ GroupName: 'students' }));
    expect(got.Group).toEqual(group);
    expect(got.Users!.map((u) => u.UserName)).toEqual(['alice']);
    expect(got.IsTruncated).toBe(false);
    const forUser = await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }));
    expect(forUser.Groups!.map((g) => g.GroupName)).toEqual(['students', 'everyone']);
    const listed = await iam.send(new ListGroupsCommand({ PathPrefix: '/class/' }));
    expect(listed.Groups!.map((g) => g.Arn)).toEqual([group.Arn]);

    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'students', UserName: 'alice' }));
    // Removing a non-member answers 200, as IAM does.
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'students', UserName: 'alice' }));
    expect((await iam.send(new GetGroupCommand({ GroupName: 'students' }))).Users).toEqual([]);
  });

  it('refuses a duplicate group and an unknown group, with IAM’s words', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'dup-group' }));
    expect(await awsFailure(iam.send(new CreateGroupCommand({ GroupName: 'dup-group' })))).toEqual({
      code: 'EntityAlreadyExists',
      status: 409,
      message: 'Group with name dup-group already exists.',
    });
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const missing = {
      code: 'NoSuchEntity',
      status: 404,
      message: 'The group with name no-group cannot be found.',
    };
    expect(await awsFailure(iam.send(new GetGroupCommand({ GroupName: 'no-group' })))).toEqual(missing);
    expect(
      await awsFailure(iam.send(new AddUserToGroupCommand({ GroupName: 'no-group', UserName: 'bob' }))),
    ).toEqual(missing);
    expect(
      await awsFailure(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'no-group', UserName: 'bob' }))),
    ).toEqual(missing);
    expect(await awsFailure(iam.send(new DeleteGroupCommand({ GroupName: 'no-group' })))).toEqual(missing);
    expect(
      await awsFailure(iam.send(new AddUserToGroupCommand({ GroupName: 'dup-group', UserName: 'nobody' }))),
    ).toEqual({ code: 'NoSuchEntity', status: 404, message: 'The user with name nobody cannot be found.' });
  });

  it('DeleteUser and DeleteGroup refuse while the user is a member', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'held' }));
    await iam.send(new CreateUserCommand({ UserName: 'member' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'held', UserName: 'member' }));
    expect(await awsFailure(iam.send(new DeleteUserCommand({ UserName: 'member' })))).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must remove user from all groups first.',
    });
    expect(await awsFailure(iam.send(new DeleteGroupCommand({ GroupName: 'held' })))).toEqual({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must remove users from group first.',
    });
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'held', UserName: 'member' }));
    await iam.send(new DeleteUserCommand({ UserName: 'member' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'held' }));
    expect((await awsFailure(iam.send(new GetGroupCommand({ GroupName: 'held' })))).code).toBe(
      'NoSuchEntity',
    );
  });
});
