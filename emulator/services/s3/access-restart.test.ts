import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetObjectAclCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { policyOf } from './access-test-kit.ts';
import { expectSdkError, uniqueBucket } from './s3-test-kit.ts';

const running: TestEmulator[] = [];
afterAll(async () => {
  for (const e of running.reverse()) await e.stop().catch(() => undefined);
});

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

describe('access control state across restarts', () => {
  it('keeps the bucket policy, ownership, bucket ACL and object ACLs (inline and file bodies)', async () => {
    const first = await startTestEmulator();
    let s3 = s3Client(first.url);
    const Bucket = uniqueBucket('restart');
    await s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: 'ObjectWriter' }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    const Policy = policyOf({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${Bucket}/public/*`,
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    await s3.send(new PutBucketAclCommand({ Bucket, ACL: 'public-read' }));
    const big = Buffer.alloc(2 * 1024 * 1024, 7);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'small', Body: 'tiny', ACL: 'public-read' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'big', Body: big }));
    await s3.send(new PutObjectAclCommand({ Bucket, Key: 'big', ACL: 'public-read' }));
    s3.destroy();
    await first.stopKeepingData();

    const second = await startTestEmulator({ dataDir: first.dataDir });
    running.push(second);
    s3 = s3Client(second.url);
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(Policy);
    expect(
      (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules,
    ).toEqual([{ ObjectOwnership: 'ObjectWriter' }]);
    const groupRead = { Grantee: { URI: ALL_USERS, Type: 'Group' }, Permission: 'READ' };
    expect((await s3.send(new GetBucketAclCommand({ Bucket }))).Grants).toContainEqual(groupRead);
    for (const Key of ['small', 'big'])
      expect((await s3.send(new GetObjectAclCommand({ Bucket, Key }))).Grants).toContainEqual(groupRead);
    expect(await (await fetch(`${second.url}/${Bucket}/small`)).text()).toBe('tiny');
    const body = Buffer.from(await (await fetch(`${second.url}/${Bucket}/big`)).arrayBuffer());
    expect(body.equals(big)).toBe(true);
    s3.destroy();
  });

  it('a bucket record written before Block Public Access defaults keeps having none', async () => {
    const first = await startTestEmulator();
    let s3 = s3Client(first.url);
    const Bucket = uniqueBucket('legacy');
    await s3.send(new CreateBucketCommand({ Bucket }));
    s3.destroy();
    await first.stopKeepingData();
    // Strip the fields as an older version of the local AWS wrote the record.
    const dir = join(first.dataDir, 's3', 'buckets');
    const file = join(
      dir,
      (await readdir(dir)).find((n) => n.startsWith(Bucket))!,
    );
    const record = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    delete record['publicAccessBlock'];
    delete record['ownership'];
    await writeFile(file, JSON.stringify(record));

    const second = await startTestEmulator({ dataDir: first.dataDir });
    running.push(second);
    s3 = s3Client(second.url);
    await expectSdkError(
      s3.send(new GetPublicAccessBlockCommand({ Bucket })),
      404,
      'NoSuchPublicAccessBlockConfiguration',
    );
    await expectSdkError(
      s3.send(new GetBucketOwnershipControlsCommand({ Bucket })),
      404,
      'OwnershipControlsNotFoundError',
    );
    s3.destroy();
  });
});
