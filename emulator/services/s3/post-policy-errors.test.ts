import { CreateBucketCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { sigV4Fields } from './post-test-kit.ts';
import { expectSdkError, expectXmlError, postForm, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
const Bucket = uniqueBucket('post-policy');
const url = () => `${emulator.url}/${Bucket}`;
/** A SigV4 form whose policy has these conditions besides the bucket and the signing fields. */
const v4 = (conditions: unknown[], seconds?: number): Record<string, string> =>
  sigV4Fields([{ bucket: Bucket }, ...conditions], undefined, seconds === undefined ? {} : { seconds });

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

describe('POST Object policy errors', () => {
  it('refuses an expired policy', async () => {
    await expectXmlError(
      await postForm(url(), { key: 'k', ...v4([{ key: 'k' }], -5) }, 'x'),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy expired.',
    );
  });

  it('prints the failing condition, values case-sensitive, field names not', async () => {
    const redirect = 'http://localhost.test/random';
    const eq = {
      key: 'k',
      success_action_redirect: `${redirect}/other`,
      ...v4([{ key: 'k' }, ['eq', '$success_Action_REDIRECT', redirect]]),
    };
    await expectXmlError(
      await postForm(url(), eq, 'x'),
      403,
      'AccessDenied',
      `Invalid according to Policy: Policy Condition failed: ["eq", "$success_Action_REDIRECT", "${redirect}"]`,
    );
    const starts = {
      key: 'k',
      'Content-Type': 'Image/png',
      ...v4([{ key: 'k' }, ['starts-with', '$content-type', 'image/']]),
    };
    await expectXmlError(
      await postForm(url(), starts, 'x'),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["starts-with", "$content-type", "image/"]',
    );
    const noDollar = { key: 'k', ...v4([['eq', 'key', 'k']]) };
    await expectXmlError(
      await postForm(url(), noDollar, 'x'),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["eq", "key", "k"]',
    );
    const objectForm = { key: 'other', ...v4([{ key: 'k' }]) };
    await expectXmlError(
      await postForm(url(), objectForm, 'x'),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "k"]',
    );
  });

  it('refuses a simple condition with more than one property (400)', async () => {
    await expectXmlError(
      await postForm(url(), { key: 'k', ...v4([{ key: 'k', acl: 'private' }]) }, 'x'),
      400,
      'InvalidPolicyDocument',
      'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    );
  });

  it('refuses a content-length-range without both bounds (400)', async () => {
    await expectXmlError(
      await postForm(url(), { key: 'k', ...v4([{ key: 'k' }, ['content-length-range', 0]]) }, 'x'),
      400,
      'InvalidPolicyDocument',
      'Invalid Policy: Invalid content-length-range: wrong number of arguments.',
    );
  });

  it('refuses fields no condition covers', async () => {
    const fields = { key: 'k', 'Content-Type': 'text/plain', ...v4([{ key: 'k' }]) };
    await expectXmlError(
      await postForm(url(), fields, 'x'),
      403,
      'AccessDenied',
      'Invalid according to Policy: Extra input fields: content-type',
    );
    const ignored = { key: 'k2', 'x-ignore-tracking': 'yes', ...v4([{ key: 'k2' }]) };
    expect((await postForm(url(), ignored, 'x')).status).toBe(204);
  });

  it('enforces content-length-range while streaming: too large, too small, non-numeric', async () => {
    const range = (key: string, min: unknown, max: unknown) => ({
      key,
      ...v4([{ key }, ['content-length-range', min, max]]),
    });
    await expectXmlError(
      await postForm(url(), range('big', 1, 10), 'x'.repeat(5000)),
      400,
      'EntityTooLarge',
      'Your proposed upload exceeds the maximum allowed size',
      { ProposedSize: '5000', MaxSizeAllowed: '10' },
    );
    await expectXmlError(
      await postForm(url(), range('small', 5, 10), 'abc'),
      400,
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
      { ProposedSize: '3', MinSizeAllowed: '5' },
    );
    await expectXmlError(
      await postForm(url(), range('nan', 'test', '10'), 'abc'),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["content-length-range", "test", "10"]',
    );
    for (const Key of ['big', 'small', 'nan'])
      await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key })), 404, 'NotFound');
  });

  it('refuses invalid tagging XML and an unknown storage class', async () => {
    const tagging = { key: 'k', tagging: 'not xml', ...v4([{ key: 'k' }, { tagging: 'not xml' }]) };
    await expectXmlError(
      await postForm(url(), tagging, 'x'),
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
    const storage = {
      key: 'k',
      'x-amz-storage-class': 'FOO',
      ...v4([{ key: 'k' }, { 'x-amz-storage-class': 'FOO' }]),
    };
    await expectXmlError(
      await postForm(url(), storage, 'x'),
      400,
      'InvalidStorageClass',
      'The storage class you specified is not valid',
      { StorageClassRequested: 'FOO' },
    );
  });

  it('needs exactly one file, and at most 20 KB of fields before it', async () => {
    await expectXmlError(
      await postForm(url(), { key: 'k', ...v4([{ key: 'k' }]) }, undefined),
      400,
      'InvalidArgument',
      'POST requires exactly one file upload per request.',
      { ArgumentName: 'file' },
    );
    const big = { key: 'k', 'x-ignore-padding': 'p'.repeat(21 * 1024), ...v4([{ key: 'k' }]) };
    await expectXmlError(
      await postForm(url(), big, 'x'),
      400,
      'MaxPostPreDataLengthExceeded',
      'Your POST request fields preceeding the upload file was too large.',
    );
  });
});
