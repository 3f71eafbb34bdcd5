import { createHmac } from 'node:crypto';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { iamClient, sessionCredentials, stsClient } from '../../test-support/iam-sts.ts';
import { hasBoto3, runPython } from '../../test-support/python.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectXmlError, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let Bucket: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  Bucket = uniqueBucket('v2');
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'hello.txt', Body: 'hello', ContentType: 'text/plain' }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

/** boto3 presigned URLs, by its default signer for us-east-1 and with signature_version='s3'. */
const BOTO3_PRESIGN = `
import json, os, boto3
from botocore.config import Config
extra = {'signature_version': 's3'} if os.environ['SIGV'] == 's3' else {}
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
                  aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'],
                  aws_session_token=os.environ.get('TOKEN') or None,
                  config=Config(s3={'addressing_style': 'path'}, **extra))
b = os.environ['BUCKET']
print(json.dumps({
  'get': s3.generate_presigned_url('get_object', Params={'Bucket': b, 'Key': 'hello.txt'}, ExpiresIn=300),
  'put': s3.generate_presigned_url('put_object', Params={'Bucket': b, 'Key': 'up load.txt',
                                   'Metadata': {'foo': 'bar'}}, ExpiresIn=300),
}))
`;

async function presign(
  sigv: 'default' | 's3',
  credentials = { AKID: 'test', SECRET: 'test', TOKEN: '' },
): Promise<{ get: string; put: string }> {
  const result = await runPython(BOTO3_PRESIGN, {
    ENDPOINT: emulator.url,
    BUCKET: Bucket,
    SIGV: sigv,
    ...credentials,
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { get: string; put: string };
}

/** A SigV2 query URL signed here, independently of the emulator. */
function signV2(method: string, path: string, expires: number, secret = 'test', akid = 'test'): string {
  const signature = createHmac('sha1', secret).update(`${method}\n\n\n${expires}\n${path}`).digest('base64');
  const query = new URLSearchParams({ AWSAccessKeyId: akid, Expires: String(expires), Signature: signature });
  return `${emulator.url}${path}?${query}`;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const now = () => Math.floor(Date.now() / 1000);

describe.skipIf(!hasBoto3)('SigV2 query-string presigned URLs from boto3', () => {
  for (const sigv of ['default', 's3'] as const)
    it(`GETs and PUTs (with x-amz-meta-* query metadata) with ${sigv === 'default' ? "boto3's us-east-1 default" : "signature_version='s3'"}`, async () => {
      const urls = await presign(sigv);
      for (const url of [urls.get, urls.put]) {
        const query = new URL(url).searchParams;
        expect([...query.keys()].sort()).toEqual(
          expect.arrayContaining(['AWSAccessKeyId', 'Expires', 'Signature']),
        );
        expect(query.has('X-Amz-Signature')).toBe(false);
      }
      const got = await fetch(urls.get);
      expect(got.status).toBe(200);
      expect(await got.text()).toBe('hello');

      const put = await fetch(urls.put, { method: 'PUT', body: Buffer.from(`via ${sigv}`) });
      expect(put.status, await put.clone().text()).toBe(200);
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'up load.txt' }));
      expect(head.Metadata).toEqual({ foo: 'bar' });
      expect(head.ContentLength).toBe(`via ${sigv}`.length);
    });

  it('refuses a tampered URL with SignatureDoesNotMatch and the string it signed', async () => {
    const { get } = await presign('default');
    const url = new URL(get);
    url.pathname = url.pathname.replace('hello.txt', 'other.txt');
    const error = await expectXmlError(await fetch(url), 403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, {
      AWSAccessKeyId: 'test',
      SignatureProvided: url.searchParams.get('Signature')!,
    });
    expect(error['StringToSign']).toBe(`GET\n\n\n${url.searchParams.get('Expires')}\n/${Bucket}/other.txt`);
    expect(error['StringToSignBytes']).toMatch(/^47 45 54 0a 0a 0a /);
    // The signature of the PUT does not cover a GET, nor a changed Expires.
    const { put } = await presign('s3');
    await expectXmlError(await fetch(put), 403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
    const later = new URL(put);
    later.searchParams.set('Expires', String(Number(later.searchParams.get('Expires')) + 1));
    await expectXmlError(
      await fetch(later, { method: 'PUT', body: Buffer.from('x') }),
      403,
      'SignatureDoesNotMatch',
      SIGNATURE_MISMATCH,
    );
  });

  it('authorizes the signer: a role session may GET but not PUT', async () => {
    const iam = iamClient(emulator.url);
    const sts = stsClient(emulator.url);
    const RoleName = `reader-${Bucket}`;
    await iam.send(
      new CreateRoleCommand({
        RoleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::000000000000:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName,
        PolicyName: 'read',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }],
        }),
      }),
    );
    const creds = sessionCredentials(
      await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::000000000000:role/${RoleName}`,
          RoleSessionName: 'v2',
        }),
      ),
    );
    iam.destroy();
    sts.destroy();
    const urls = await presign('default', {
      AKID: creds.accessKeyId,
      SECRET: creds.secretAccessKey,
      TOKEN: creds.sessionToken ?? '',
    });
    expect(new URL(urls.get).searchParams.get('x-amz-security-token')).toBe(creds.sessionToken);
    expect((await fetch(urls.get)).status).toBe(200);
    const denied = await fetch(urls.put, { method: 'PUT', body: Buffer.from('no') });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain('<Code>AccessDenied</Code>');
  });
});

describe('SigV2 query-string errors (plain HTTP)', () => {
  it('serves a URL signed by hand, and refuses an expired one with Expires and ServerTime', async () => {
    const ok = await fetch(signV2('GET', `/${Bucket}/hello.txt`, now() + 60));
    expect(ok.status).toBe(200);
    const expires = now() - 10;
    const error = await expectXmlError(
      await fetch(signV2('GET', `/${Bucket}/hello.txt`, expires)),
      403,
      'AccessDenied',
      'Request has expired',
      { Expires: new Date(expires * 1000).toISOString().replace('.000Z', 'Z') },
    );
    expect(error['ServerTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('needs all three parameters', async () => {
    const full = new URL(signV2('GET', `/${Bucket}/hello.txt`, now() + 60));
    for (const missing of ['AWSAccessKeyId', 'Expires', 'Signature']) {
      const url = new URL(full);
      url.searchParams.delete(missing);
      await expectXmlError(
        await fetch(url),
        403,
        'AccessDenied',
        'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
      );
    }
  });

  it('refuses an unknown access key and a wrong secret', async () => {
    await expectXmlError(
      await fetch(signV2('GET', `/${Bucket}/hello.txt`, now() + 60, 'test', 'AKIANOSUCHKEY0000000')),
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: 'AKIANOSUCHKEY0000000' },
    );
    await expectXmlError(
      await fetch(signV2('GET', `/${Bucket}/hello.txt`, now() + 60, 'wrong')),
      403,
      'SignatureDoesNotMatch',
      SIGNATURE_MISMATCH,
    );
  });
});
