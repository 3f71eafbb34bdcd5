import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { expectSdkError } from '../s3-test-kit.ts';
import { MIB, newBucket, s3Fetch, xmlField } from './multipart-test-kit.ts';

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
const part = async (Key: string, UploadId: string, PartNumber: number, Body: string | Buffer) =>
  (await s3.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber, Body }))).ETag!;

describe('multipart upload with SDK v3', () => {
  it('applies the content type, metadata, headers, storage class and tags of Create to the object', async () => {
    const id = await create('report.csv', {
      ContentType: 'text/csv',
      Metadata: { owner: 'lab' },
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment',
      StorageClass: 'STANDARD_IA',
      Tagging: 'team=blue&stage=test',
    });
    const first = await part('report.csv', id, 1, 'a'.repeat(5 * MIB));
    const second = await part('report.csv', id, 2, 'b,c\n');
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'report.csv',
        UploadId: id,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: first },
            { PartNumber: 2, ETag: second },
          ],
        },
      }),
    );
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect(done.Location).toBe(`${emulator.url}/${bucket}/report.csv`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'report.csv' }));
    expect(head).toMatchObject({
      ContentType: 'text/csv',
      Metadata: { owner: 'lab' },
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment',
      StorageClass: 'STANDARD_IA',
      TagCount: 2,
      ContentLength: 5 * MIB + 4,
      ETag: done.ETag,
    });
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'report.csv', Range: 'bytes=-4' }))
    ).Body!.transformToString();
    expect(body).toBe('b,c\n');
  });

  it('computes the ETag of one 6144-byte part as S3 does, and a part uploaded again replaces it', async () => {
    const id = await create('ones');
    await part('ones', id, 1, 'first version');
    const etag = await part('ones', id, 1, '1'.repeat(6144));
    const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'ones', UploadId: id }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([[1, 6144, etag]]);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'ones',
        UploadId: id,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etag }] },
      }),
    );
    expect(done.ETag).toBe('"8eabe9d6b43316e840b079170916c079-1"');
  });

  it('CopyObject of a multipart object gives a plain MD5 ETag and no COMPOSITE checksum', async () => {
    const id = await create('to-copy', { ChecksumAlgorithm: 'CRC32' });
    const up = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: 'to-copy', UploadId: id, PartNumber: 1, Body: 'copy me' }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'to-copy',
        UploadId: id,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: up.ETag!, ChecksumCRC32: up.ChecksumCRC32! }] },
      }),
    );
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'copied', CopySource: `${bucket}/to-copy` }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(`"${createHash('md5').update('copy me').digest('hex')}"`);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'copied', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ChecksumType).not.toBe('COMPOSITE');
    expect(head.ChecksumCRC32 ?? '').not.toMatch(/-\d+$/);
  });

  it('ListParts pages with max-parts and part-number-marker', async () => {
    const id = await create('paged');
    for (const n of [1, 2, 3, 5]) await part('paged', id, n, `part ${n}`);
    const page = (PartNumberMarker?: string) =>
      s3.send(
        new ListPartsCommand({ Bucket: bucket, Key: 'paged', UploadId: id, MaxParts: 2, PartNumberMarker }),
      );
    const one = await page();
    expect([
      one.Parts?.map((p) => p.PartNumber),
      one.IsTruncated,
      one.NextPartNumberMarker,
      one.MaxParts,
    ]).toEqual([[1, 2], true, '2', 2]);
    expect(one.Initiator?.ID).toBeTruthy();
    expect(one.Owner?.ID).toBeTruthy();
    expect(one.StorageClass).toBe('STANDARD');
    const two = await page('2');
    expect([two.Parts?.map((p) => p.PartNumber), two.IsTruncated, two.NextPartNumberMarker]).toEqual([
      [3, 5],
      false,
      '5',
    ]);
    const past = await page('9');
    expect([past.Parts ?? [], past.IsTruncated, past.NextPartNumberMarker]).toEqual([[], false, '0']);
  });

  it('ListMultipartUploads lists by key and initiation, pages with markers, rolls up prefixes', async () => {
    const b = await newBucket(s3, 'mpu-list');
    const ids: Record<string, string> = {};
    for (const key of ['a/1', 'a/2', 'b', 'c', 'c']) {
      const id = (await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: key }))).UploadId!;
      ids[key] = ids[key] ? `${ids[key]},${id}` : id;
    }
    const list = (extra: Partial<ConstructorParameters<typeof ListMultipartUploadsCommand>[0]> = {}) =>
      s3.send(new ListMultipartUploadsCommand({ Bucket: b, ...extra }));
    const all = await list();
    expect(all.Uploads?.map((u) => u.Key)).toEqual(['a/1', 'a/2', 'b', 'c', 'c']);
    expect(
      all.Uploads?.filter((u) => u.Key === 'c')
        .map((u) => u.UploadId)
        .join(','),
    ).toBe(ids['c']);
    expect([all.IsTruncated, all.MaxUploads, all.Bucket]).toEqual([false, 1000, b]);
    expect(all.Uploads?.[0]?.Initiated).toBeInstanceOf(Date);

    const seen: string[] = [];
    let marker: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (let pages = 0; pages < 10; pages++) {
      const page = await list({ MaxUploads: 2, ...marker });
      seen.push(...(page.Uploads ?? []).map((u) => `${u.Key}:${u.UploadId}`));
      if (!page.IsTruncated) break;
      marker = { KeyMarker: page.NextKeyMarker!, UploadIdMarker: page.NextUploadIdMarker! };
    }
    expect(seen).toEqual(all.Uploads!.map((u) => `${u.Key}:${u.UploadId}`));

    const rolled = await list({ Delimiter: '/' });
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/']);
    expect(rolled.Uploads?.map((u) => u.Key)).toEqual(['b', 'c', 'c']);
    const prefixed = await list({ Prefix: 'a/' });
    expect(prefixed.Uploads?.map((u) => u.Key)).toEqual(['a/1', 'a/2']);

    await s3.send(new AbortMultipartUploadCommand({ Bucket: b, Key: 'b', UploadId: ids['b'] }));
    expect((await list()).Uploads?.map((u) => u.Key)).toEqual(['a/1', 'a/2', 'c', 'c']);
  });

  it('writes the documents S3 writes: namespaced roots, empty markers when nothing is listed', async () => {
    const b = await newBucket(s3, 'mpu-xml');
    const empty = await (await s3Fetch(emulator.url, 'GET', `/${b}?uploads`)).text();
    expect(empty).toContain('<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    for (const [name, value] of <Array<[string, string]>>[
      ['KeyMarker', ''],
      ['UploadIdMarker', ''],
      ['NextKeyMarker', ''],
      ['NextUploadIdMarker', ''],
      ['MaxUploads', '1000'],
      ['IsTruncated', 'false'],
    ])
      expect(xmlField(empty, name), name).toBe(value);
    const created = await s3Fetch(emulator.url, 'POST', `/${b}/doc?uploads`);
    expect(created.headers.get('x-amz-server-side-encryption')).toBe('AES256');
    const text = await created.text();
    expect(text).toContain('<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect([xmlField(text, 'Bucket'), xmlField(text, 'Key')]).toEqual([b, 'doc']);
    const listed = await (await s3Fetch(emulator.url, 'GET', `/${b}?uploads`)).text();
    expect([xmlField(listed, 'NextKeyMarker'), xmlField(listed, 'NextUploadIdMarker')]).toEqual([
      'doc',
      xmlField(text, 'UploadId'),
    ]);
  });

  it('UploadPartCopy copies a whole object or a range into a part', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'source', Body: 'x'.repeat(5 * MIB) + 'TAIL' }),
    );
    const id = await create('copy');
    const whole = await s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: 'copy',
        UploadId: id,
        PartNumber: 1,
        CopySource: `${bucket}/source`,
      }),
    );
    const range = await s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: 'copy',
        UploadId: id,
        PartNumber: 2,
        CopySource: `${bucket}/source`,
        CopySourceRange: `bytes=${5 * MIB}-${5 * MIB + 3}`,
      }),
    );
    expect(range.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'copy',
        UploadId: id,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: whole.CopyPartResult!.ETag! },
            { PartNumber: 2, ETag: range.CopyPartResult!.ETag! },
          ],
        },
      }),
    );
    const text = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copy' }))
    ).Body!.transformToString();
    expect(text.length).toBe(5 * MIB + 8);
    expect(text.endsWith('TAILTAIL')).toBe(true);
    await expectSdkError(
      s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'copy',
          UploadId: 'gone',
          PartNumber: 1,
          CopySource: `${bucket}/nope`,
        }),
      ),
      404,
      'NoSuchUpload',
    );
  });

  it('DeleteBucket deletes a bucket whose only content is uploads in progress, and them with it', async () => {
    const b = await newBucket(s3, 'mpu-drop');
    await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'pending' }));
    await s3.send(new DeleteBucketCommand({ Bucket: b }));
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: b }))).Uploads ?? []).toEqual([]);
  });
});
