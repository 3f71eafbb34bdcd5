import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../auth/credentials.ts';
import { AwsError } from '../../core/aws-error.ts';
import type { EmulatorEnv } from '../../core/env.ts';
import { stsClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator } from '../../test-support/start-test-emulator.ts';
import { IamModel } from '../iam/iam-model.ts';
import { assumeRoleForService } from './assume-role.ts';

const trust = (Principal: unknown) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }],
  });

let dataDir: string;
let env: EmulatorEnv;
let model: IamModel;

// In-process, the way Lambda calls it: the real IAM model and credential store on a data folder.
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'assume-role-test-'));
  model = await IamModel.open(dataDir);
  const credentials = await CredentialStore.open(join(dataDir, 'sts', 'sessions'), [
    { accessKeyId: 'test', secretAccessKey: 'test' },
  ]);
  env = { iam: model, credentials } as unknown as EmulatorEnv;
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const role = (name: string, principal: unknown) =>
  model.roles.create({
    name,
    path: '/',
    assumeRolePolicyDocument: trust(principal),
    maxSessionDuration: 3600,
    tags: [],
  });

describe('assumeRoleForService', () => {
  it('issues a session for a service the trust policy names; the keys work over the wire', async () => {
    const r = await role('fn-role', { Service: 'lambda.amazonaws.com' });
    const session = await assumeRoleForService(env, r.arn, 'lambda.amazonaws.com', 'upload-ticket');
    expect(session).toMatchObject({
      roleArn: r.arn,
      roleName: 'fn-role',
      roleId: r.roleId,
      sessionName: 'upload-ticket',
    });
    expect(session.accessKeyId).toMatch(/^ASIA/);
    expect(session.expiresAt).toBeGreaterThan(Date.now() + 3600_000);

    const emulator = await startTestEmulator({ dataDir });
    try {
      const me = await stsClient(emulator.url, session).send(new GetCallerIdentityCommand({}));
      expect(me.Arn).toBe('arn:aws:sts::000000000000:assumed-role/fn-role/upload-ticket');
    } finally {
      await emulator.stopKeepingData();
    }
  });

  it('refuses a service the trust policy does not name', async () => {
    const r = await role('human-role', { AWS: '000000000000' });
    const err = await assumeRoleForService(env, r.arn, 'lambda.amazonaws.com', 's').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(err).toMatchObject({
      code: 'AccessDenied',
      status: 403,
      message: `User: lambda.amazonaws.com is not authorized to perform: sts:AssumeRole on resource: ${r.arn}`,
    });
  });

  it('reports a missing role as NoSuchEntity', async () => {
    const err = await assumeRoleForService(
      env,
      'arn:aws:iam::000000000000:role/gone',
      'lambda.amazonaws.com',
      's',
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The role with name gone cannot be found.',
    });
  });
});
