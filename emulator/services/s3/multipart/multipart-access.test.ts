import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, type TestCredentials } from '../../../test-support/clients.ts';
import { iamClient, sessionCredentials, stsClient } from '../../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { eventually } from '../../lambda/test-kit.ts';
import { recorderFor } from '../notify-test-kit.ts';
import { MIB, newBucket } from './multipart-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  bucket = await newBucket(s3);
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

const create = async (
  Key: string,
  extra: Partial<ConstructorParameters<typeof CreateMultipartUploadCommand>[0]> = {},
) => (await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key, ...extra }))).UploadId!;
describe('IAM authorization of multipart calls', () => {
  const TRUST = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
    ],
  });
  async function session(role: string, actions: string[]): Promise<TestCredentials> {
    const iam = iamClient(emulator.url);
    const sts = stsClient(emulator.url);
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: TRUST }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: role,
        PolicyName: 'p',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: actions,
              Resource: [`arn:aws:s3:::${bucket}/up/*`, `arn:aws:s3:::${bucket}`],
            },
          ],
        }),
      }),
    );
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::000000000000:role/${role}`,
        RoleSessionName: 'lab-session',
      }),
    );
    iam.destroy();
    sts.destroy();
    return sessionCredentials(out);
  }

  it('needs s3:PutObject to upload, and the list, abort and copy-source actions for the rest', async () => {
    const writer = s3Client(emulator.url, await session('mpu-writer', ['s3:PutObject']));
    const denied = (action: string, resource: string) =>
      new RegExp(`not authorized to perform: ${action} on resource: "${resource.replace(/[/.*]/g, '\\$&')}"`);
    const UploadId = (await writer.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'up/file' })))
      .UploadId!;
    const ETag = (
      await writer.send(
        new UploadPartCommand({ Bucket: bucket, Key: 'up/file', UploadId, PartNumber: 1, Body: 'x' }),
      )
    ).ETag!;
    const listParts = writer.send(new ListPartsCommand({ Bucket: bucket, Key: 'up/file', UploadId }));
    await expect(listParts).rejects.toThrow(
      denied('s3:ListMultipartUploadParts', `arn:aws:s3:::${bucket}/up/file`),
    );
    await expect(writer.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).rejects.toThrow(
      denied('s3:ListBucketMultipartUploads', `arn:aws:s3:::${bucket}`),
    );
    await expect(
      writer.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'up/file', UploadId })),
    ).rejects.toThrow(denied('s3:AbortMultipartUpload', `arn:aws:s3:::${bucket}/up/file`));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'secret', Body: 'no' }));
    await expect(
      writer.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'up/file',
          UploadId,
          PartNumber: 2,
          CopySource: `${bucket}/secret`,
        }),
      ),
    ).rejects.toThrow(denied('s3:GetObject', `arn:aws:s3:::${bucket}/secret`));
    await writer.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'up/file',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
      }),
    );
    await expect(
      writer.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'elsewhere' })),
    ).rejects.toThrow(denied('s3:PutObject', `arn:aws:s3:::${bucket}/elsewhere`));
    writer.destroy();

    const manager = s3Client(
      emulator.url,
      await session('mpu-manager', [
        's3:ListMultipartUploadParts',
        's3:ListBucketMultipartUploads',
        's3:AbortMultipartUpload',
      ]),
    );
    const other = await create('up/other');
    expect(
      (await manager.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'up/' }))).Uploads
        ?.length,
    ).toBe(1);
    await manager.send(new ListPartsCommand({ Bucket: bucket, Key: 'up/other', UploadId: other }));
    await manager.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'up/other', UploadId: other }));
    manager.destroy();
  });
});

describe('the ObjectCreated:CompleteMultipartUpload event', () => {
  it('reaches Lambda with the -N ETag and the total size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mpu-events-'));
    try {
      const b = await newBucket(s3, 'mpu-events');
      const recorder = await recorderFor(emulator.url, s3, {
        bucket: b,
        name: 'mpu-recorder',
        dir,
        events: ['s3:ObjectCreated:CompleteMultipartUpload'],
      });
      const UploadId = (await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'big file.bin' })))
        .UploadId!;
      const parts = [];
      for (const [n, body] of [
        [1, 'p'.repeat(5 * MIB)],
        [2, 'end'],
      ] as const)
        parts.push({
          PartNumber: n,
          ETag: (
            await s3.send(
              new UploadPartCommand({ Bucket: b, Key: 'big file.bin', UploadId, PartNumber: n, Body: body }),
            )
          ).ETag!,
        });
      // A plain PUT is not a CompleteMultipartUpload event: only the completion arrives.
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'plain', Body: 'x' }));
      const done = await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: b,
          Key: 'big file.bin',
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      const events = await eventually(async () =>
        (await recorder.events()).length ? recorder.events() : undefined,
      );
      expect(events).toHaveLength(1);
      const record = events[0]!.Records[0]!;
      expect(record['eventName']).toBe('ObjectCreated:CompleteMultipartUpload');
      expect(record.s3.object).toMatchObject({
        key: 'big+file.bin',
        size: 5 * MIB + 3,
        eTag: done.ETag!.replaceAll('"', ''),
      });
      expect(String((record.s3.object as unknown as { eTag: string }).eTag)).toMatch(/-2$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
