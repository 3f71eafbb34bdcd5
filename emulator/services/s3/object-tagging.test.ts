import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, expectXmlError, postForm, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
const Bucket = uniqueBucket('tags');
beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

const tagsOf = async (Key: string, VersionId?: string) =>
  (await s3.send(new GetObjectTaggingCommand({ Bucket, Key, ...(VersionId ? { VersionId } : {}) }))).TagSet;
const tagCount = async (Key: string) => {
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
  const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
  await got.Body!.transformToString();
  expect(got.TagCount).toBe(head.TagCount);
  return head.TagCount;
};
const putTags = (Key: string, TagSet: Tag[]) =>
  s3.send(new PutObjectTaggingCommand({ Bucket, Key, Tagging: { TagSet } }));

describe('object tagging', () => {
  it('stores x-amz-tagging, counts tags on GET/HEAD, replaces, deletes, and drops them on overwrite', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket, Key: 'a', Body: 'x', Tagging: 'team=lab&empty=&sp%20ace=a%2Bb' }),
    );
    expect(await tagsOf('a')).toEqual([
      { Key: 'team', Value: 'lab' },
      { Key: 'empty', Value: '' },
      { Key: 'sp ace', Value: 'a+b' },
    ]);
    expect(await tagCount('a')).toBe(3);
    await putTags('a', [{ Key: 'only', Value: 'one' }]);
    expect(await tagsOf('a')).toEqual([{ Key: 'only', Value: 'one' }]);
    expect(await tagCount('a')).toBe(1);
    await putTags('a', []);
    expect(await tagsOf('a')).toEqual([]);
    expect(await tagCount('a')).toBeUndefined();

    await putTags('a', [{ Key: 'k', Value: 'v' }]);
    const deleted = await signedFetch(`${emulator.url}/${Bucket}/a?tagging`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await tagsOf('a')).toEqual([]);

    await putTags('a', [{ Key: 'k', Value: 'v' }]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'new' }));
    expect(await tagsOf('a')).toEqual([]);
    expect(await tagCount('a')).toBeUndefined();
    const raw = await (await signedFetch(`${emulator.url}/${Bucket}/a?tagging`)).text();
    expect(raw).toMatch(
      /<Tagging xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><TagSet><\/TagSet><\/Tagging>/,
    );
  });

  it('reads a key without = as an empty value', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'q', Body: 'x', Tagging: 'wrongquery&wrongagain' }));
    expect(await tagsOf('q')).toEqual([
      { Key: 'wrongquery', Value: '' },
      { Key: 'wrongagain', Value: '' },
    ]);
  });

  it('tags each version on its own (?versionId=)', async () => {
    const VBucket = uniqueBucket('tagver');
    await s3.send(new CreateBucketCommand({ Bucket: VBucket }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: VBucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: VBucket, Key: 'k', Body: '1', Tagging: 'v=1' })))
      .VersionId!;
    const v2 = (await s3.send(new PutObjectCommand({ Bucket: VBucket, Key: 'k', Body: '2' }))).VersionId!;
    const put = await s3.send(
      new PutObjectTaggingCommand({
        Bucket: VBucket,
        Key: 'k',
        VersionId: v1,
        Tagging: { TagSet: [{ Key: 'old', Value: 'yes' }] },
      }),
    );
    expect(put.VersionId).toBe(v1);
    const get = (VersionId?: string) =>
      s3.send(
        new GetObjectTaggingCommand({ Bucket: VBucket, Key: 'k', ...(VersionId ? { VersionId } : {}) }),
      );
    expect((await get(v1)).TagSet).toEqual([{ Key: 'old', Value: 'yes' }]);
    expect(await get()).toMatchObject({ VersionId: v2, TagSet: [] });
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: VBucket, Key: 'k', VersionId: v1 }));
    expect((await get(v1)).TagSet).toEqual([]);
    // The tag update left the version where it was: v2 is still the latest, v1 still reads '1'.
    const old = await s3.send(new GetObjectCommand({ Bucket: VBucket, Key: 'k', VersionId: v1 }));
    expect(await old.Body!.transformToString()).toBe('1');
    const current = await s3.send(new GetObjectCommand({ Bucket: VBucket, Key: 'k' }));
    expect([current.VersionId, await current.Body!.transformToString()]).toEqual([v2, '2']);
    await expectSdkError(
      get('gS53zabD7XTvkrwbjMnXlBylVWetO8ym'),
      404,
      'NoSuchVersion',
      'The specified version does not exist.',
    );
  });

  it('copies tags by default, and replaces them with x-amz-tagging-directive REPLACE', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'x', Tagging: 'from=source' }));
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/src` }));
    expect(await tagsOf('copy')).toEqual([{ Key: 'from', Value: 'source' }]);
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'replaced',
        CopySource: `${Bucket}/src`,
        TaggingDirective: 'REPLACE',
        Tagging: 'new=tag',
      }),
    );
    expect(await tagsOf('replaced')).toEqual([{ Key: 'new', Value: 'tag' }]);
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'bare',
        CopySource: `${Bucket}/src`,
        TaggingDirective: 'REPLACE',
      }),
    );
    expect(await tagsOf('bare')).toEqual([]);
  });

  it('takes the tagging field of a POST upload (policy-checked), and ignores XML with another root', async () => {
    const tagging = '<Tagging><TagSet><Tag><Key>via</Key><Value>post</Value></Tag></TagSet></Tagging>';
    const { url, fields } = await createPresignedPost(s3, {
      Bucket,
      Key: 'posted',
      Fields: { tagging },
      Conditions: [['eq', '$tagging', tagging]],
    });
    const posted = await postForm(url, fields, 'body');
    expect(posted.status, await posted.text()).toBe(204);
    expect(await tagsOf('posted')).toEqual([{ Key: 'via', Value: 'post' }]);

    const other = '<InvalidXmlTagging><TagSet/></InvalidXmlTagging>';
    const form = await createPresignedPost(s3, {
      Bucket,
      Key: 'posted-other',
      Fields: { tagging: other },
      Conditions: [['starts-with', '$tagging', '']],
    });
    expect((await postForm(form.url, form.fields, 'body')).status).toBe(204);
    expect(await tagsOf('posted-other')).toEqual([]);

    const changed = await postForm(url, { ...fields, tagging: other }, 'body');
    await expectXmlError(changed, 403, 'AccessDenied', /Policy Condition failed/);
  });
});

describe('object tagging errors', () => {
  const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  it('refuses more than 10 tags with BadRequest, on PutObjectTagging and x-amz-tagging', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'limits', Body: 'x' }));
    await putTags('limits', tags(10));
    await expectSdkError(
      putTags('limits', tags(11)),
      400,
      'BadRequest',
      'Object tags cannot be greater than 10',
    );
    const header = tags(11)
      .map((t) => `${t.Key}=${t.Value}`)
      .join('&');
    await expectSdkError(
      s3.send(new PutObjectCommand({ Bucket, Key: 'limits2', Body: 'x', Tagging: header })),
      400,
      'BadRequest',
      'Object tags cannot be greater than 10',
    );
  });

  it('answers InvalidTag for long, invalid, duplicate and aws: keys and values', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'x' }));
    const cases: Array<[Tag[], string, Record<string, string>]> = [
      [[{ Key: 'k'.repeat(129), Value: 'v' }], 'The TagKey you have provided is too long, max 128', {}],
      [[{ Key: 'k', Value: 'v'.repeat(257) }], 'The TagValue you have provided is too long, max 256', {}],
      [
        [{ Key: 'Key1,Key2', Value: 'v' }],
        'The TagKey you have provided is invalid',
        { TagKey: 'Key1,Key2' },
      ],
      [
        [{ Key: 'k', Value: 'Val1,Val2' }],
        'The TagValue you have provided is invalid',
        { TagKey: 'k', TagValue: 'Val1,Val2' },
      ],
      [
        [{ Key: 'aws:system', Value: 'v' }],
        'Your TagKey cannot be prefixed with aws:',
        { TagKey: 'aws:system' },
      ],
      [
        [
          { Key: 'same', Value: '1' },
          { Key: 'same', Value: '2' },
        ],
        'Cannot provide multiple Tags with the same key',
        { TagKey: 'same' },
      ],
    ];
    for (const [set, message, fields] of cases)
      await expectSdkError(putTags('bad', set), 400, 'InvalidTag', message, fields);
    // Exactly at the limits is fine.
    await putTags('bad', [{ Key: 'k'.repeat(128), Value: 'v'.repeat(256) }]);
  });

  it('answers MalformedXML for a Tag without Key or Value', async () => {
    for (const tag of ['<Key>k</Key>', '<Value>v</Value>']) {
      const body = `<Tagging><TagSet><Tag>${tag}</Tag></TagSet></Tagging>`;
      const md5 = createHash('md5').update(body).digest('base64');
      await expectXmlError(
        await signedFetch(`${emulator.url}/${Bucket}/bad?tagging`, {
          method: 'PUT',
          body,
          headers: { 'content-md5': md5 },
        }),
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    }
  });

  it('answers InvalidArgument for an x-amz-tagging header with duplicates or not query-encoded', async () => {
    for (const Tagging of ['k1=v1&k1=v2', 'k1=v1,k2=v2'])
      await expectSdkError(
        s3.send(new PutObjectCommand({ Bucket, Key: 'hdr', Body: 'x', Tagging })),
        400,
        'InvalidArgument',
        "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
        { ArgumentName: 'x-amz-tagging', ArgumentValue: Tagging },
      );
  });

  it('answers NoSuchKey (Key bucket/key for Get, key for Put and Delete) and NoSuchBucket', async () => {
    await expectSdkError(
      s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'missing' })),
      404,
      'NoSuchKey',
      'The specified key does not exist.',
      { Key: `${Bucket}/missing` },
    );
    await expectSdkError(putTags('missing', []), 404, 'NoSuchKey', 'The specified key does not exist.', {
      Key: 'missing',
    });
    await expectSdkError(
      s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'missing' })),
      404,
      'NoSuchKey',
      'The specified key does not exist.',
      { Key: 'missing' },
    );
    const none = uniqueBucket('none');
    await expectSdkError(
      s3.send(new GetObjectTaggingCommand({ Bucket: none, Key: 'k' })),
      404,
      'NoSuchBucket',
      'The specified bucket does not exist',
      { BucketName: none },
    );
  });
});
