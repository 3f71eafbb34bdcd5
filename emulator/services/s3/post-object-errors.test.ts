import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { encodePolicy, sigV2Fields, sigV4Fields } from './post-test-kit.ts';
import { expectSdkError, expectXmlError, postForm, uniqueBucket } from './s3-test-kit.ts';

const SIG_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const EXPIRED_KEY = 'ASIAEXPIREDSESSION01';
let emulator: TestEmulator;
let s3: S3Client;
const Bucket = uniqueBucket('post-errors');
const url = () => `${emulator.url}/${Bucket}`;
const v4 = (conditions: unknown[], seconds?: number): Record<string, string> =>
  sigV4Fields([{ bucket: Bucket }, ...conditions], undefined, seconds === undefined ? {} : { seconds });
const missingField = (name: string) =>
  `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`;

beforeAll(async () => {
  // A role session that expired before the emulator started, as STS would have stored it.
  const dataDir = await mkdtemp(join(tmpdir(), 'aws-emulator-test-'));
  await mkdir(join(dataDir, 'sts', 'sessions'), { recursive: true });
  const session = {
    accessKeyId: EXPIRED_KEY,
    secretAccessKey: 'expired-secret',
    sessionToken: 'expired-token',
    expiresAt: Date.now() - 60_000,
    roleArn: 'arn:aws:iam::000000000000:role/gone',
    roleName: 'gone',
    roleId: 'AROAEXPIRED000000001',
    sessionName: 'old',
  };
  await writeFile(join(dataDir, 'sts', 'sessions', `${EXPIRED_KEY}.json`), JSON.stringify(session));
  emulator = await startTestEmulator({ dataDir });
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

describe('POST Object request errors', () => {
  it('needs multipart/form-data (412)', async () => {
    const response = await fetch(url(), { method: 'POST', body: new URLSearchParams({ key: 'k' }) });
    await expectXmlError(
      response,
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
      },
    );
  });

  it('names the first missing SigV4 field (algorithm before credential) and SigV2 field', async () => {
    const full = { key: 'k', ...v4([{ key: 'k' }]) };
    const without = (...names: string[]) =>
      Object.fromEntries(Object.entries(full).filter(([n]) => !names.includes(n)));
    const cases: Array<[Record<string, string>, string]> = [
      [without('x-amz-algorithm', 'x-amz-credential'), 'X-Amz-Algorithm'],
      [without('x-amz-credential'), 'X-Amz-Credential'],
      [without('x-amz-signature'), 'X-Amz-Signature'],
    ];
    const v2 = { key: 'k', ...sigV2Fields([{ bucket: Bucket }, { key: 'k' }]) };
    const v2without = (name: string) => Object.fromEntries(Object.entries(v2).filter(([n]) => n !== name));
    cases.push([v2without('signature'), 'Signature'], [v2without('AWSAccessKeyId'), 'AWSAccessKeyId']);
    for (const [fields, name] of cases)
      await expectXmlError(await postForm(url(), fields, 'x'), 400, 'InvalidArgument', missingField(name), {
        ArgumentName: name,
        ArgumentValue: '',
      });
  });

  it('needs a key field', async () => {
    await expectXmlError(
      await postForm(url(), v4([{ key: 'k' }]), 'x'),
      400,
      'InvalidArgument',
      missingField('key'),
      {
        ArgumentName: 'key',
      },
    );
  });

  it('refuses a policy without signing fields, and an anonymous form, with AccessDenied', async () => {
    const policy = encodePolicy([{ bucket: Bucket }, { key: 'k' }]);
    await expectXmlError(
      await postForm(url(), { key: 'k', policy }, 'x'),
      403,
      'AccessDenied',
      'Access Denied',
    );
    await expectXmlError(
      await postForm(url(), { key: 'anonymous' }, 'x'),
      403,
      'AccessDenied',
      'Access Denied',
    );
    await expectSdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'anonymous' })), 404, 'NotFound');
  });

  it('refuses a tampered policy and a wrong secret with SignatureDoesNotMatch (SigV4 and SigV2)', async () => {
    const signed: Record<string, string> = { key: 'k', ...v4([{ key: 'k' }]) };
    const tampered = encodePolicy([{ bucket: Bucket }, ['starts-with', '$key', '']]);
    const error = await expectXmlError(
      await postForm(url(), { ...signed, policy: tampered }, 'x'),
      403,
      'SignatureDoesNotMatch',
      SIG_MISMATCH,
      {
        AWSAccessKeyId: 'test',
        StringToSign: tampered,
        SignatureProvided: signed['x-amz-signature']!,
      },
    );
    expect(error['StringToSignBytes']).toBe(
      [...Buffer.from(tampered)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
    );
    const wrongSecret = {
      key: 'k',
      ...sigV4Fields([{ bucket: Bucket }, { key: 'k' }], { accessKeyId: 'test', secretAccessKey: 'nope' }),
    };
    await expectXmlError(await postForm(url(), wrongSecret, 'x'), 403, 'SignatureDoesNotMatch', SIG_MISMATCH);
    const v2: Record<string, string> = {
      key: 'k',
      ...sigV2Fields([{ bucket: Bucket }, { key: 'k' }], { accessKeyId: 'test', secretAccessKey: 'nope' }),
    };
    await expectXmlError(await postForm(url(), v2, 'x'), 403, 'SignatureDoesNotMatch', SIG_MISMATCH, {
      StringToSign: v2['policy']!,
    });
    // Garbage in place of the policy fails the signature too, not a parse error.
    await expectXmlError(
      await postForm(url(), { ...signed, policy: '%%%not-base64' }, 'x'),
      403,
      'SignatureDoesNotMatch',
      SIG_MISMATCH,
    );
  });

  it('refuses an unknown access key and an expired session token', async () => {
    const unknown = {
      key: 'k',
      ...sigV4Fields([{ bucket: Bucket }, { key: 'k' }], {
        accessKeyId: 'AKIAUNKNOWN',
        secretAccessKey: 's',
      }),
    };
    await expectXmlError(
      await postForm(url(), unknown, 'x'),
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: 'AKIAUNKNOWN' },
    );
    const expired = {
      key: 'k',
      ...sigV4Fields([{ bucket: Bucket }, { key: 'k' }], {
        accessKeyId: EXPIRED_KEY,
        secretAccessKey: 'expired-secret',
        sessionToken: 'expired-token',
      }),
    };
    await expectXmlError(
      await postForm(url(), expired, 'x'),
      400,
      'ExpiredToken',
      'The provided token has expired.',
    );
  });
});
