import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../../test-support/aws-cli.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { OWNER } from './model/s3-model.ts';
import { uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;

beforeAll(async () => {
  if (hasAwsCli) emulator = await startTestEmulator();
});
afterAll(() => emulator?.stop());

async function aws(...args: string[]): Promise<string> {
  const result = await runAws(emulator.url, args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

// Each CLI run costs seconds on a loaded 2-core machine: generous timeouts, no timing assertions.
describe.skipIf(!hasAwsCli)('AWS CLI v2 s3api: bucket policy, ownership, ACLs', () => {
  it('put/get/delete-bucket-policy and get-bucket-policy-status', async () => {
    const bucket = uniqueBucket('cli');
    await aws('s3api', 'create-bucket', '--bucket', bucket);
    await aws('s3api', 'delete-public-access-block', '--bucket', bucket);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
      ],
    });
    await aws('s3api', 'put-bucket-policy', '--bucket', bucket, '--policy', policy);
    const got = JSON.parse(await aws('s3api', 'get-bucket-policy', '--bucket', bucket)) as { Policy: string };
    expect(JSON.parse(got.Policy)).toEqual(JSON.parse(policy));
    expect(JSON.parse(await aws('s3api', 'get-bucket-policy-status', '--bucket', bucket))).toEqual({
      PolicyStatus: { IsPublic: true },
    });
    await aws('s3api', 'delete-bucket-policy', '--bucket', bucket);
    const missing = await runAws(emulator.url, ['s3api', 'get-bucket-policy', '--bucket', bucket]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('NoSuchBucketPolicy');
    const bad = await runAws(emulator.url, [
      's3api',
      'put-bucket-policy',
      '--bucket',
      bucket,
      '--policy',
      '{}',
    ]);
    expect(bad.stderr).toContain('(MalformedPolicy)');
    expect(bad.stderr).toContain('Missing required field Statement');
  }, 240_000);

  it('put/get-bucket-ownership-controls and put/get-bucket-acl', async () => {
    const bucket = uniqueBucket('cli');
    await aws('s3api', 'create-bucket', '--bucket', bucket);
    expect(JSON.parse(await aws('s3api', 'get-bucket-ownership-controls', '--bucket', bucket))).toEqual({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const refused = await runAws(emulator.url, [
      's3api',
      'put-bucket-acl',
      '--bucket',
      bucket,
      '--acl',
      'private',
    ]);
    expect(refused.stderr).toContain('(AccessControlListNotSupported)');
    await aws(
      's3api',
      'put-bucket-ownership-controls',
      '--bucket',
      bucket,
      '--ownership-controls',
      'Rules=[{ObjectOwnership=ObjectWriter}]',
    );
    expect(JSON.parse(await aws('s3api', 'get-bucket-ownership-controls', '--bucket', bucket))).toEqual({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
    });
    await aws('s3api', 'delete-public-access-block', '--bucket', bucket);
    await aws('s3api', 'put-bucket-acl', '--bucket', bucket, '--acl', 'public-read');
    expect(JSON.parse(await aws('s3api', 'get-bucket-acl', '--bucket', bucket))).toEqual({
      Owner: { ID: OWNER.ID },
      Grants: [
        { Grantee: { ID: OWNER.ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
        {
          Grantee: { URI: 'http://acs.amazonaws.com/groups/global/AllUsers', Type: 'Group' },
          Permission: 'READ',
        },
      ],
    });
  }, 240_000);
});
