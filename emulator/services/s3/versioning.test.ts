import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type BucketVersioningStatus,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, expectXmlError, postForm, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

const VERSION_ID = /^[A-Za-z0-9._]{32}$/;

async function bucket(status?: BucketVersioningStatus): Promise<string> {
  const Bucket = uniqueBucket('ver');
  await s3.send(new CreateBucketCommand({ Bucket }));
  if (status) await versioning(Bucket, status);
  return Bucket;
}
const versioning = (Bucket: string, Status: BucketVersioningStatus) =>
  s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));
const put = (Bucket: string, Key: string, Body: string) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body }));
async function read(Bucket: string, Key: string, VersionId?: string) {
  const got = await s3.send(new GetObjectCommand({ Bucket, Key, ...(VersionId ? { VersionId } : {}) }));
  return { body: await got.Body!.transformToString(), versionId: got.VersionId };
}
const versions = (Bucket: string) => s3.send(new ListObjectVersionsCommand({ Bucket }));

describe('a never-versioned bucket', () => {
  it('answers GetBucketVersioning with an empty configuration', async () => {
    const Bucket = await bucket();
    const got = await s3.send(new GetBucketVersioningCommand({ Bucket }));
    expect(got.Status).toBeUndefined();
    expect(got.MFADelete).toBeUndefined();
    const raw = await (await signedFetch(`${emulator.url}/${Bucket}?versioning`)).text();
    expect(raw).toMatch(
      /<VersioningConfiguration xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><\/VersioningConfiguration>/,
    );
  });

  it('lists each object once with VersionId null, and reads ?versionId=null as the object', async () => {
    const Bucket = await bucket();
    const written = await put(Bucket, 'a.txt', 'A');
    expect(written.VersionId).toBeUndefined();
    await put(Bucket, 'a.txt', 'A2');
    await put(Bucket, 'b.txt', 'B');
    const listed = await versions(Bucket);
    expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([
      ['a.txt', 'null', true, 2],
      ['b.txt', 'null', true, 1],
    ]);
    expect(listed.DeleteMarkers).toBeUndefined();
    expect(await read(Bucket, 'a.txt', 'null')).toEqual({ body: 'A2', versionId: undefined });
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a.txt' }));
    expect(head.VersionId).toBeUndefined();
  });

  it('refuses a non-null or malformed version id with InvalidArgument', async () => {
    const Bucket = await bucket();
    await put(Bucket, 'a.txt', 'A');
    for (const VersionId of ['gS53zabD7XTvkrwbjMnXlBylVWetO8ym', 'not-a-version'])
      await expectSdkError(
        s3.send(new GetObjectCommand({ Bucket, Key: 'a.txt', VersionId })),
        400,
        'InvalidArgument',
        'Invalid version id specified',
        { ArgumentName: 'versionId', ArgumentValue: VersionId },
      );
    await expectSdkError(
      s3.send(new DeleteObjectCommand({ Bucket, Key: 'a.txt', VersionId: 'bad' })),
      400,
      'InvalidArgument',
      'Invalid version id specified',
    );
  });

  it('deletes with DeleteObjects VersionId null (boto3 object_versions.delete sends it)', async () => {
    const Bucket = await bucket();
    await put(Bucket, 'a.txt', 'A');
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: {
          Objects: [
            { Key: 'a.txt', VersionId: 'null' },
            { Key: 'never', VersionId: 'null' },
          ],
        },
      }),
    );
    expect(out.Deleted?.map((d) => d.Key)).toEqual(['a.txt', 'never']);
    expect(out.Errors).toBeUndefined();
    expect((await versions(Bucket)).Versions).toBeUndefined();
    await s3.send(new DeleteBucketCommand({ Bucket }));
  });
});

describe('an Enabled bucket', () => {
  it('keeps every version: new ids, each readable, newest first, null for an object from before', async () => {
    const Bucket = await bucket();
    await put(Bucket, 'k', 'before');
    await versioning(Bucket, 'Enabled');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    const v1 = (await put(Bucket, 'k', 'one')).VersionId!;
    const v2 = (await put(Bucket, 'k', 'two')).VersionId!;
    expect(v1).toMatch(VERSION_ID);
    expect(v2).toMatch(VERSION_ID);
    expect(v1).not.toBe(v2);
    expect(await read(Bucket, 'k')).toEqual({ body: 'two', versionId: v2 });
    expect(await read(Bucket, 'k', v1)).toEqual({ body: 'one', versionId: v1 });
    expect(await read(Bucket, 'k', 'null')).toEqual({ body: 'before', versionId: 'null' });
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'k', VersionId: v1 }));
    expect([head.VersionId, head.ContentLength]).toEqual([v1, 3]);
    const listed = await versions(Bucket);
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [v2, true],
      [v1, false],
      ['null', false],
    ]);
    expect(listed.Versions?.[0]).toMatchObject({
      StorageClass: 'STANDARD',
      Owner: { ID: expect.any(String) },
    });
  });

  it('puts a delete marker, answers GETs of it as AWS does, and undeletes when the marker is deleted', async () => {
    const Bucket = await bucket('Enabled');
    const v1 = (await put(Bucket, 'doc', 'text')).VersionId!;
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'doc' }));
    expect(deleted.DeleteMarker).toBe(true);
    const marker = deleted.VersionId!;
    expect(marker).toMatch(VERSION_ID);

    const current = await signedFetch(`${emulator.url}/${Bucket}/doc`);
    expect(current.headers.get('x-amz-delete-marker')).toBe('true');
    expect(current.headers.get('x-amz-version-id')).toBe(marker);
    await expectXmlError(current, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: 'doc' });

    const headCurrent = await signedFetch(`${emulator.url}/${Bucket}/doc`, { method: 'HEAD' });
    expect([headCurrent.status, headCurrent.headers.get('x-amz-delete-marker')]).toEqual([404, 'true']);
    expect(headCurrent.headers.get('x-amz-version-id')).toBe(marker);
    const byId = await signedFetch(`${emulator.url}/${Bucket}/doc?versionId=${marker}`);
    expect(byId.headers.get('x-amz-delete-marker')).toBe('true');
    expect(byId.headers.get('x-amz-version-id')).toBe(marker);
    expect(byId.headers.get('allow')).toBe('DELETE');
    await expectXmlError(
      byId,
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
      {
        Method: 'GET',
        ResourceType: 'DeleteMarker',
      },
    );
    const head = await signedFetch(`${emulator.url}/${Bucket}/doc?versionId=${marker}`, { method: 'HEAD' });
    expect([head.status, head.headers.get('x-amz-delete-marker'), await head.text()]).toEqual([
      405,
      'true',
      '',
    ]);

    expect((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
    const listed = await versions(Bucket);
    expect(listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([
      ['doc', marker, true],
    ]);
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([[v1, false]]);
    await expectSdkError(s3.send(new DeleteBucketCommand({ Bucket })), 409, 'BucketNotEmpty');

    const undelete = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'doc', VersionId: marker }));
    expect([undelete.DeleteMarker, undelete.VersionId]).toEqual([true, marker]);
    expect(await read(Bucket, 'doc')).toEqual({ body: 'text', versionId: v1 });
  });

  it('removes one version for good with ?versionId=, then answers NoSuchVersion for it', async () => {
    const Bucket = await bucket('Enabled');
    const v1 = (await put(Bucket, 'k', 'one')).VersionId!;
    const v2 = (await put(Bucket, 'k', 'two')).VersionId!;
    const out = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v2 }));
    expect([out.VersionId, out.DeleteMarker]).toEqual([v2, undefined]);
    expect(await read(Bucket, 'k')).toEqual({ body: 'one', versionId: v1 });
    await expectSdkError(
      s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v2 })),
      404,
      'NoSuchVersion',
      'The specified version does not exist.',
      { Key: 'k', VersionId: v2 },
    );
    const raw = await signedFetch(`${emulator.url}/${Bucket}/k?versionId=${v2}`);
    expect(raw.headers.get('x-amz-delete-marker')).toBeNull();
    await raw.text();
    // Deleting a version that is gone is still 204.
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v2 }));
  });

  it('answers a browser POST upload with the new version id', async () => {
    const Bucket = await bucket('Enabled');
    const { url, fields } = await createPresignedPost(s3, { Bucket, Key: 'posted.txt' });
    const posted = await postForm(url, fields, 'from a form');
    expect(posted.status).toBe(204);
    const versionId = posted.headers.get('x-amz-version-id');
    expect(versionId).toMatch(VERSION_ID);
    expect(await read(Bucket, 'posted.txt')).toEqual({ body: 'from a form', versionId });
  });

  it('copies a named version (x-amz-copy-source ?versionId=) into a new version', async () => {
    const Bucket = await bucket('Enabled');
    const v1 = (await put(Bucket, 'src', 'first')).VersionId!;
    await put(Bucket, 'src', 'second');
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'src', CopySource: `${Bucket}/src?versionId=${v1}` }),
    );
    expect(copied.CopySourceVersionId).toBe(v1);
    expect(copied.VersionId).toMatch(VERSION_ID);
    expect(await read(Bucket, 'src')).toEqual({ body: 'first', versionId: copied.VersionId });
    expect((await versions(Bucket)).Versions).toHaveLength(3);
    await expectSdkError(
      s3.send(
        new CopyObjectCommand({
          Bucket,
          Key: 'x',
          CopySource: `${Bucket}/src?versionId=gS53zabD7XTvkrwbjMnXlBylVWetO8ym`,
        }),
      ),
      404,
      'NoSuchVersion',
      'The specified version does not exist.',
    );
  });

  it('answers DeleteObjects per entry: markers, versions, markers by id, unknown versions', async () => {
    const Bucket = await bucket('Enabled');
    const v1 = (await put(Bucket, 'a', '1')).VersionId!;
    const marker = (await s3.send(new DeleteObjectCommand({ Bucket, Key: 'b' }))).VersionId!;
    const unknown = 'gS53zabD7XTvkrwbjMnXlBylVWetO8ym';
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: {
          Objects: [
            { Key: 'a', VersionId: v1 },
            { Key: 'b', VersionId: marker },
            { Key: 'c' },
            { Key: 'd', VersionId: unknown },
          ],
        },
      }),
    );
    expect(out.Deleted).toEqual([
      { Key: 'a', VersionId: v1 },
      { Key: 'b', VersionId: marker, DeleteMarker: true, DeleteMarkerVersionId: marker },
      { Key: 'c', DeleteMarker: true, DeleteMarkerVersionId: expect.stringMatching(VERSION_ID) },
    ]);
    expect(out.Errors).toEqual([
      {
        Key: 'd',
        VersionId: unknown,
        Code: 'NoSuchVersion',
        Message: 'The specified version does not exist.',
      },
    ]);
    const listed = await versions(Bucket);
    expect(listed.Versions).toBeUndefined();
    expect(listed.DeleteMarkers?.map((m) => m.Key)).toEqual(['c']);
    const quiet = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Quiet: true, Objects: [{ Key: 'c', VersionId: listed.DeleteMarkers![0]!.VersionId! }] },
      }),
    );
    expect([quiet.Deleted, quiet.Errors]).toEqual([undefined, undefined]);
    await s3.send(new DeleteBucketCommand({ Bucket }));
  });
});

describe('a Suspended bucket', () => {
  it('is accepted on a never-versioned bucket', async () => {
    const Bucket = await bucket('Suspended');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Suspended');
  });

  it('writes the null version, replacing the previous one, and deletes with a null marker', async () => {
    const Bucket = await bucket('Enabled');
    const v1 = (await put(Bucket, 'k', 'one')).VersionId!;
    await versioning(Bucket, 'Suspended');
    expect((await put(Bucket, 'k', 'two')).VersionId).toBeUndefined();
    expect(await read(Bucket, 'k')).toEqual({ body: 'two', versionId: 'null' });
    await put(Bucket, 'k', 'three');
    expect((await versions(Bucket)).Versions?.map((v) => [v.VersionId, v.IsLatest, v.Size])).toEqual([
      ['null', true, 5],
      [v1, false, 3],
    ]);
    const copied = await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/k` }));
    expect(copied.VersionId).toBe('null');

    const deleted = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect([deleted.DeleteMarker, deleted.VersionId]).toEqual([true, 'null']);
    const listed = await versions(Bucket);
    expect(listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([['k', 'null', true]]);
    expect(listed.Versions?.filter((v) => v.Key === 'k').map((v) => v.VersionId)).toEqual([v1]);
  });
});

describe('ListObjectVersions', () => {
  it('pages with KeyMarker / VersionIdMarker through every version, and rolls up common prefixes', async () => {
    const Bucket = await bucket('Enabled');
    const expected: Array<[string, string]> = [];
    for (const Key of ['a', 'b/1', 'b/2', 'c']) {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await put(Bucket, Key, `${Key}${i}`)).VersionId!);
      if (Key === 'c') ids.push((await s3.send(new DeleteObjectCommand({ Bucket, Key }))).VersionId!);
      expected.push(...ids.reverse().map((id) => [Key, id] as [string, string]));
    }
    const seen: Array<[string, string]> = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (let page = 0; page < 20; page++) {
      const out = await s3.send(
        new ListObjectVersionsCommand({ Bucket, MaxKeys: 2, KeyMarker, VersionIdMarker }),
      );
      const items = [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])];
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((v) => [v.Key!, v.VersionId!] as [string, string]));
      if (!out.IsTruncated) break;
      KeyMarker = out.NextKeyMarker;
      VersionIdMarker = out.NextVersionIdMarker;
    }
    const order = (list: Array<[string, string]>) => list.map(([k, id]) => `${k}:${id}`);
    expect(order(seen).sort()).toEqual(order(expected).sort());
    expect(seen.map(([k]) => k)).toEqual(expected.map(([k]) => k));

    const rolled = await s3.send(new ListObjectVersionsCommand({ Bucket, Delimiter: '/' }));
    expect(rolled.CommonPrefixes).toEqual([{ Prefix: 'b/' }]);
    expect(new Set(rolled.Versions?.map((v) => v.Key))).toEqual(new Set(['a', 'c']));
    const under = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'b/' }));
    expect(under.Versions).toHaveLength(6);
    expect(under.Versions?.filter((v) => v.IsLatest).map((v) => v.Key)).toEqual(['b/1', 'b/2']);
  });

  it('refuses a version-id-marker without a key-marker', async () => {
    const Bucket = await bucket('Enabled');
    await expectXmlError(
      await signedFetch(`${emulator.url}/${Bucket}?versions&version-id-marker=null`),
      400,
      'InvalidArgument',
      'A version-id marker cannot be specified without a key marker.',
      { ArgumentName: 'version-id-marker' },
    );
  });
});

describe('PutBucketVersioning errors', () => {
  it('refuses wrong-case values, a configuration without Status, MFA delete and an unknown bucket', async () => {
    const Bucket = await bucket();
    for (const Status of ['enabled', 'Disabled'])
      await expectSdkError(
        versioning(Bucket, Status as BucketVersioningStatus),
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    await expectSdkError(
      s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: {} })),
      400,
      'IllegalVersioningConfigurationException',
      'The Versioning element must be specified',
    );
    await expectSdkError(
      s3.send(
        new PutBucketVersioningCommand({
          Bucket,
          VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' },
        }),
      ),
      403,
      'AccessDenied',
      'Mfa Authentication must be used for this request',
    );
    await expectSdkError(
      s3.send(
        new PutBucketVersioningCommand({
          Bucket,
          MFA: 'no-space-here',
          VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' },
        }),
      ),
      400,
      'InvalidArgument',
      'Mfa header is invalid -- the header should be formatted as {serialNumber}(space){tokenCode}',
      { ArgumentName: 'x-amz-mfa' },
    );
    await expectSdkError(
      versioning(uniqueBucket('none'), 'Enabled'),
      404,
      'NoSuchBucket',
      'The specified bucket does not exist',
    );
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
  });
});
