import {
  CreateBucketCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let Bucket: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  Bucket = uniqueBucket('list');
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'a' }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

const SECONDS_000Z = /<(LastModified|CreationDate)>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z<\/\1>/g;

describe('listing details as AWS prints them', () => {
  it('prints timestamps in whole seconds with .000Z, and owners without DisplayName', async () => {
    for (const path of [`/${Bucket}?list-type=2&fetch-owner=true`, `/${Bucket}`, '/']) {
      const text = await (await signedFetch(`${emulator.url}${path}`)).text();
      expect(text.match(SECONDS_000Z)?.length, text).toBeGreaterThan(0);
      expect(text).not.toMatch(/<(LastModified|CreationDate)>[^<]*\.(?!000Z)\d{3}Z</);
      expect(text).toContain('<Owner><ID>');
      expect(text).not.toContain('DisplayName');
    }
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket, FetchOwner: true }));
    expect(v2.Contents?.[0]?.Owner).toEqual({ ID: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const v1 = await s3.send(new ListObjectsCommand({ Bucket }));
    expect(v1.Contents?.[0]?.LastModified?.getUTCMilliseconds()).toBe(0);
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Owner).toEqual({ ID: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(buckets.Buckets?.find((b) => b.Name === Bucket)?.CreationDate?.getUTCMilliseconds()).toBe(0);
  });

  it('answers max-keys=0 with nothing, not truncated, and takes an empty continuation token', async () => {
    const v1 = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 0 }));
    expect([v1.IsTruncated, v1.Contents]).toEqual([false, undefined]);
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 0 }));
    expect([v2.IsTruncated, v2.KeyCount, v2.Contents]).toEqual([false, 0, undefined]);
    const empty = await s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken: '' }));
    expect([empty.ContinuationToken, empty.IsTruncated, empty.Contents?.map((c) => c.Key)]).toEqual([
      '',
      false,
      ['a.txt'],
    ]);
  });

  it('pages ListBuckets with MaxBuckets and ContinuationToken, filtered by Prefix', async () => {
    const prefix = uniqueBucket('page');
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (const name of names) await s3.send(new CreateBucketCommand({ Bucket: name }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListBucketsCommand({
          Prefix: prefix,
          MaxBuckets: 2,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      expect(page.Prefix).toBe(prefix);
      seen.push(...(page.Buckets ?? []).map((b) => b.Name!));
      token = page.ContinuationToken;
      if (token) expect(page.Buckets).toHaveLength(2);
    } while (token);
    expect(seen).toEqual(names);
    await expectSdkError(
      s3.send(new ListBucketsCommand({ MaxBuckets: 0 })),
      400,
      'InvalidArgument',
      'Argument max-buckets must be an integer between 1 and 10000',
    );
  });

  it('leaves the version 1 Prefix unencoded under encoding-type=url (V2 encodes it)', async () => {
    const v1 = await (await signedFetch(`${emulator.url}/${Bucket}?prefix=a%20b&encoding-type=url`)).text();
    expect(v1).toContain('<Prefix>a b</Prefix>');
    const v2 = await (
      await signedFetch(`${emulator.url}/${Bucket}?list-type=2&prefix=a%20b&encoding-type=url`)
    ).text();
    expect(v2).toContain('<Prefix>a%20b</Prefix>');
  });

  it('refuses LocationConstraint=us-east-1 with InvalidLocationConstraint', async () => {
    const name = uniqueBucket('loc');
    await expectSdkError(
      s3.send(
        new CreateBucketCommand({
          Bucket: name,
          CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never },
        }),
      ),
      400,
      'InvalidLocationConstraint',
      'The specified location-constraint is not valid',
    );
    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.some((b) => b.Name === name)).toBe(false);
  });
});
