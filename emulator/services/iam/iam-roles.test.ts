import type { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFailure, iamClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const LAMBDA_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

let emulator: TestEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  iam = iamClient(emulator.url);
});
afterAll(() => emulator?.stop());

describe('roles', () => {
  it('creates a role and answers as IAM does (ARN with path, AROA id, URL-encoded trust policy)', async () => {
    const out = await iam.send(
      new CreateRoleCommand({
        RoleName: 'ticket-role',
        Path: '/lab/',
        AssumeRolePolicyDocument: LAMBDA_TRUST,
        Description: 'upload ticket',
        Tags: [{ Key: 'lab', Value: 'presigned-upload-lab' }],
      }),
    );
    const role = out.Role!;
    expect(role.Arn).toBe('arn:aws:iam::000000000000:role/lab/ticket-role');
    expect(role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(role.Path).toBe('/lab/');
    expect(role.CreateDate).toBeInstanceOf(Date);
    expect(role.AssumeRolePolicyDocument).toBe(encodeURIComponent(LAMBDA_TRUST));
    expect(role.Tags).toEqual([{ Key: 'lab', Value: 'presigned-upload-lab' }]);
    // CreateRole's answer has no MaxSessionDuration / RoleLastUsed (recorded from IAM).
    expect(role.MaxSessionDuration).toBeUndefined();
    expect(role.RoleLastUsed).toBeUndefined();

    const got = (await iam.send(new GetRoleCommand({ RoleName: 'ticket-role' }))).Role!;
    expect(got).toMatchObject({
      Arn: role.Arn,
      RoleId: role.RoleId,
      Description: 'upload ticket',
      MaxSessionDuration: 3600,
    });
    expect(got.RoleLastUsed).toEqual({});
    expect(decodeURIComponent(got.AssumeRolePolicyDocument!)).toBe(LAMBDA_TRUST);
  });

  it('refuses a duplicate name regardless of case, and unknown roles', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'dup-role', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    expect(
      await awsFailure(
        iam.send(new CreateRoleCommand({ RoleName: 'DUP-role', AssumeRolePolicyDocument: LAMBDA_TRUST })),
      ),
    ).toEqual({
      code: 'EntityAlreadyExists',
      status: 409,
      message: 'Role with name DUP-role already exists.',
    });
    expect(await awsFailure(iam.send(new GetRoleCommand({ RoleName: 'nope' })))).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The role with name nope cannot be found.',
    });
    expect((await awsFailure(iam.send(new DeleteRoleCommand({ RoleName: 'nope' })))).code).toBe(
      'NoSuchEntity',
    );
  });

  it('validates names, durations and trust policies', async () => {
    const bad = await awsFailure(
      iam.send(new CreateRoleCommand({ RoleName: 'bad name', AssumeRolePolicyDocument: LAMBDA_TRUST })),
    );
    expect(bad).toMatchObject({ code: 'ValidationError', status: 400 });
    expect(bad.message).toContain("at 'roleName' failed to satisfy constraint");
    expect(
      await awsFailure(
        iam.send(new CreateRoleCommand({ RoleName: 'r-json', AssumeRolePolicyDocument: '{"Statement": [' })),
      ),
    ).toEqual({ code: 'MalformedPolicyDocument', status: 400, message: 'This policy contains invalid Json' });
    const withResource = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Resource: '*',
        },
      ],
    });
    expect(
      await awsFailure(
        iam.send(new CreateRoleCommand({ RoleName: 'r-res', AssumeRolePolicyDocument: withResource })),
      ),
    ).toEqual({
      code: 'MalformedPolicyDocument',
      status: 400,
      message: 'Has prohibited field Resource',
    });
    const wrongAction = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 's3:GetObject' },
      ],
    });
    expect(
      (
        await awsFailure(
          iam.send(new CreateRoleCommand({ RoleName: 'r-act', AssumeRolePolicyDocument: wrongAction })),
        )
      ).message,
    ).toBe('AssumeRole policy may only specify STS AssumeRole actions.');
    expect(
      (
        await awsFailure(
          iam.send(
            new CreateRoleCommand({
              RoleName: 'r-dur',
              AssumeRolePolicyDocument: LAMBDA_TRUST,
              MaxSessionDuration: 60,
            }),
          ),
        )
      ).code,
    ).toBe('ValidationError');
    // Nothing was created by the refused calls.
    expect((await awsFailure(iam.send(new GetRoleCommand({ RoleName: 'r-json' })))).code).toBe(
      'NoSuchEntity',
    );
  });

  it('lists roles by path prefix, a page at a time', async () => {
    for (const n of ['page-a', 'page-b', 'page-c'])
      await iam.send(
        new CreateRoleCommand({ RoleName: n, Path: '/paged/', AssumeRolePolicyDocument: LAMBDA_TRUST }),
      );
    const first = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
    expect(first.Roles!.map((r) => r.RoleName)).toEqual(['page-a', 'page-b']);
    expect(first.IsTruncated).toBe(true);
    const second = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', Marker: first.Marker! }));
    expect(second.Roles!.map((r) => r.RoleName)).toEqual(['page-c']);
    expect(second.IsTruncated).toBe(false);
    expect(second.Roles![0]!.MaxSessionDuration).toBe(3600);
    expect(second.Roles![0]!.Tags).toBeUndefined();
  });

  it('tags, retags, untags and lists tags; tag keys are unique ignoring case', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(
      new TagRoleCommand({
        RoleName: 'tagged',
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'A', Value: 'updated' }] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).toEqual([
      { Key: 'a', Value: 'updated' },
      { Key: 'b', Value: '2' },
    ]);
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['a'] }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'tagged' }))).Role!.Tags).toEqual([
      { Key: 'b', Value: '2' },
    ]);
    expect(
      await awsFailure(
        iam.send(
          new TagRoleCommand({
            RoleName: 'tagged',
            Tags: [
              { Key: 'x', Value: '1' },
              { Key: 'X', Value: '2' },
            ],
          }),
        ),
      ),
    ).toEqual({
      code: 'InvalidInput',
      status: 400,
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    });
    expect(
      (
        await awsFailure(
          iam.send(new TagRoleCommand({ RoleName: 'ghost', Tags: [{ Key: 'x', Value: '1' }] })),
        )
      ).code,
    ).toBe('NoSuchEntity');
  });

  it('updates the trust policy and the session duration', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'updatable', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    const trust = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }],
    });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'updatable', PolicyDocument: trust }));
    await iam.send(
      new UpdateRoleCommand({ RoleName: 'updatable', MaxSessionDuration: 7200, Description: 'now longer' }),
    );
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'updatable' }))).Role!;
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(trust);
    expect(role).toMatchObject({ MaxSessionDuration: 7200, Description: 'now longer' });
  });

  it('deletes a role', async () => {
    await iam.send(
      new CreateRoleCommand({ RoleName: 'short-lived', AssumeRolePolicyDocument: LAMBDA_TRUST }),
    );
    await iam.send(new DeleteRoleCommand({ RoleName: 'short-lived' }));
    expect((await awsFailure(iam.send(new GetRoleCommand({ RoleName: 'short-lived' })))).code).toBe(
      'NoSuchEntity',
    );
  });

  it('keeps roles across a restart', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'durable', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    const before = (await iam.send(new GetRoleCommand({ RoleName: 'durable' }))).Role!;
    await emulator.stopKeepingData();
    emulator = await startTestEmulator({ dataDir: emulator.dataDir });
    iam = iamClient(emulator.url);
    const after = (await iam.send(new GetRoleCommand({ RoleName: 'durable' }))).Role!;
    expect(after).toEqual(before);
  });
});
