import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../../test-support/aws-cli.ts';
import { s3Client } from '../../test-support/clients.ts';
import { hasBoto3, runPython } from '../../test-support/python.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let dir: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  dir = await mkdtemp(join(tmpdir(), 's3-versions-cli-'));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const result = await runAws(emulator.url, args);
  expect(result.code, result.stderr).toBe(0);
  // `aws s3` prints progress lines; `aws s3api` prints JSON (or nothing).
  return result.stdout.trim() && args[0] === 's3api'
    ? (JSON.parse(result.stdout) as Record<string, unknown>)
    : {};
}

interface Listed {
  Versions?: Array<{ Key: string; VersionId: string; IsLatest: boolean }>;
  DeleteMarkers?: Array<{ Key: string; VersionId: string; IsLatest: boolean }>;
}

describe.skipIf(!hasAwsCli)('AWS CLI v2 (/usr/bin/aws) on versions and tags', () => {
  it('versions a bucket, copies twice with aws s3 cp, tags, and removes with aws s3 rm', async () => {
    const bucket = uniqueBucket('vcli');
    await aws('s3api', 'create-bucket', '--bucket', bucket);
    expect(await aws('s3api', 'get-bucket-versioning', '--bucket', bucket)).toEqual({});
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'before versioning\n');
    await aws('s3', 'cp', file, `s3://${bucket}/notes.txt`);
    const unversioned = (await aws('s3api', 'list-object-versions', '--bucket', bucket)) as Listed;
    expect(unversioned.Versions?.map((v) => v.VersionId)).toEqual(['null']);

    await aws(
      's3api',
      'put-bucket-versioning',
      '--bucket',
      bucket,
      '--versioning-configuration',
      'Status=Enabled',
    );
    expect(await aws('s3api', 'get-bucket-versioning', '--bucket', bucket)).toEqual({ Status: 'Enabled' });
    await writeFile(file, 'second\n');
    await aws('s3', 'cp', file, `s3://${bucket}/notes.txt`);
    await aws(
      's3api',
      'put-object-tagging',
      '--bucket',
      bucket,
      '--key',
      'notes.txt',
      '--tagging',
      'TagSet=[{Key=stage,Value=draft}]',
    );
    const tagging = await aws('s3api', 'get-object-tagging', '--bucket', bucket, '--key', 'notes.txt');
    expect(tagging['TagSet']).toEqual([{ Key: 'stage', Value: 'draft' }]);
    expect(tagging['VersionId']).toMatch(/^[A-Za-z0-9._]{32}$/);

    await aws('s3', 'rm', `s3://${bucket}/notes.txt`);
    const listed = (await aws('s3api', 'list-object-versions', '--bucket', bucket)) as Listed;
    expect(listed.Versions?.map((v) => [v.VersionId === 'null', v.IsLatest])).toEqual([
      [false, false],
      [true, false],
    ]);
    expect(listed.DeleteMarkers?.map((m) => [m.Key, m.IsLatest])).toEqual([['notes.txt', true]]);
    const ls = await runAws(emulator.url, ['s3', 'ls', `s3://${bucket}/`]);
    expect(ls.stdout).not.toContain('notes.txt');
  }, 180_000);
});

/** A versioned round trip, then the two cleanups real test suites run. */
const BOTO3_VERSIONS = `
import json, os, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
kw = dict(endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test',
          aws_secret_access_key='test', config=Config(s3={'addressing_style': 'path'}))
s3 = boto3.client('s3', **kw)
name = os.environ['BUCKET']
s3.create_bucket(Bucket=name)
s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={'Status': 'Enabled'})
v1 = s3.put_object(Bucket=name, Key='doc', Body=b'one')['VersionId']
v2 = s3.put_object(Bucket=name, Key='doc', Body=b'two')['VersionId']
assert v1 != v2
assert s3.get_object(Bucket=name, Key='doc', VersionId=v1)['Body'].read() == b'one'
assert s3.get_object(Bucket=name, Key='doc', VersionId=v2)['Body'].read() == b'two'
marker = s3.delete_object(Bucket=name, Key='doc')
assert marker['DeleteMarker'] is True
try:
    s3.get_object(Bucket=name, Key='doc')
    raise SystemExit('a deleted key was readable')
except ClientError as e:
    assert e.response['Error']['Code'] == 'NoSuchKey', e.response
    assert e.response['ResponseMetadata']['HTTPHeaders']['x-amz-delete-marker'] == 'true'
s3.delete_object(Bucket=name, Key='doc', VersionId=marker['VersionId'])
got = s3.get_object(Bucket=name, Key='doc')
assert got['Body'].read() == b'two' and got['VersionId'] == v2

# boto3's resource cleanup: every version and marker, in DeleteObjects batches.
for i in range(30):
    s3.put_object(Bucket=name, Key='many/%02d' % (i % 7), Body=b'x' * i)
    if i % 5 == 0:
        s3.delete_object(Bucket=name, Key='many/%02d' % (i % 7))
bucket = boto3.resource('s3', **kw).Bucket(name)
bucket.object_versions.delete()
left = s3.list_object_versions(Bucket=name)
assert 'Versions' not in left and 'DeleteMarkers' not in left, left
bucket.delete()

# A never-versioned bucket: object_versions.delete() sends VersionId 'null'.
plain = name + '-plain'
s3.create_bucket(Bucket=plain)
for i in range(5):
    s3.put_object(Bucket=plain, Key='k%d' % i, Body=b'x')
boto3.resource('s3', **kw).Bucket(plain).object_versions.delete()
s3.delete_bucket(Bucket=plain)

# ceph/s3-tests nuke_bucket: pages of 128 by markers, quiet DeleteObjects bypassing governance.
nuked = name + '-nuke'
s3.create_bucket(Bucket=nuked)
s3.put_bucket_versioning(Bucket=nuked, VersioningConfiguration={'Status': 'Enabled'})
for i in range(150):
    s3.put_object(Bucket=nuked, Key='k%d' % (i % 40), Body=b'v')
s3.delete_object(Bucket=nuked, Key='k1')
pages = 0
kwargs = {'Bucket': nuked, 'MaxKeys': 128}
while True:
    listing = s3.list_object_versions(**kwargs)
    pages += 1
    objs = [{'Key': o['Key'], 'VersionId': o['VersionId']}
            for o in listing.get('Versions', []) + listing.get('DeleteMarkers', [])]
    if objs:
        out = s3.delete_objects(Bucket=nuked, Delete={'Objects': objs, 'Quiet': True},
                                BypassGovernanceRetention=True)
        assert not out.get('Errors'), out
    if not listing['IsTruncated']:
        break
    kwargs['KeyMarker'] = listing['NextKeyMarker']
    kwargs['VersionIdMarker'] = listing['NextVersionIdMarker']
s3.delete_bucket(Bucket=nuked)
print(json.dumps({'pages': pages}))
`;

describe.skipIf(!hasBoto3)('boto3 (/usr/bin/python3) on versions', () => {
  it('round-trips versions and a delete marker, and empties buckets as boto3 and s3-tests do', async () => {
    const bucket = uniqueBucket('vboto');
    const result = await runPython(BOTO3_VERSIONS, { ENDPOINT: emulator.url, BUCKET: bucket });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ pages: 2 });
    for (const gone of [bucket, `${bucket}-plain`, `${bucket}-nuke`])
      await expectSdkError(s3.send(new HeadBucketCommand({ Bucket: gone })), 404, 'NotFound');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }, 120_000);
});
