import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { LabOutputs } from '../../../checks/lib/outputs.ts';
import { CredentialStore, type SessionRecord } from '../../../emulator/auth/credentials.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.ts';
import { s3Client, type TestCredentials } from '../../../emulator/test-support/clients.ts';
import { iamClient, sessionCredentials, stsClient } from '../../../emulator/test-support/iam-sts.ts';
import { deploy } from '../../../scripts/deploy.ts';

const ROOT = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The solution stack on a private local AWS, with the keys the tamper cases sign with. */
export interface TamperStack {
  emulator: RunningEmulator;
  dataDir: string;
  outputs: LabOutputs;
  s3: S3Client;
  /** A role session allowed `s3:PutObject` on `incoming/*`: real secrets to sign crafted forms. */
  signer: TestCredentials;
  /** A session of the upload-ticket role that expired before the local AWS started. */
  expired: SessionRecord;
  /** Another bucket, to post a ticket where it does not belong. */
  otherBucket: string;
  stop(): Promise<void>;
}

/**
 * Seeds an expired role session into a fresh data folder (as STS would have stored it), starts
 * the local AWS on it, deploys the solution stage (the real ticket function behind the HTTP
 * API), and assumes a signer role for hand-made forms.
 */
export async function startTamperStack(name = 'tamper'): Promise<TamperStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lab-tamper-'));
  const roleName = `${name}-upload-ticket-role`;
  const store = await CredentialStore.open(join(dataDir, 'sts', 'sessions'), []);
  const expired = await store.issueSession({
    roleArn: `arn:aws:iam::000000000000:role/${roleName}`,
    roleName,
    roleId: 'AROATAMPEREXPIRED0001',
    sessionName: 'yesterday',
    durationSeconds: -60,
  });
  const emulator = await startEmulator({ port: 0, dataDir, quiet: true });
  try {
    const { outputs } = await deploy({
      endpoint: emulator.url,
      credentials: ROOT,
      name,
      origin: 'http://localhost:5173',
      stage: 'solution',
      outputsFile: false,
    });
    const s3 = s3Client(emulator.url);
    const otherBucket = `${name}-other-bucket`;
    await s3.send(new CreateBucketCommand({ Bucket: otherBucket }));
    const signer = await assumeSigner(emulator.url, `${name}-signer`, outputs.bucket);
    return {
      emulator,
      dataDir,
      outputs,
      s3,
      signer,
      expired,
      otherBucket,
      async stop() {
        s3.destroy();
        await emulator.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await emulator.stop();
    throw err;
  }
}

async function assumeSigner(url: string, roleName: string, bucket: string): Promise<TestCredentials> {
  const iam = iamClient(url);
  const sts = stsClient(url);
  try {
    const trust = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
      ],
    };
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'put-incoming',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/incoming/*` },
          ],
        }),
      }),
    );
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: 'tamper' }),
    );
    return sessionCredentials(out);
  } finally {
    iam.destroy();
    sts.destroy();
  }
}
