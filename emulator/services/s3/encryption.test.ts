import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryptionConfiguration,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../../test-support/aws-cli.ts';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { sigV4Fields } from './post-test-kit.ts';
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

const SSE_S3: ServerSideEncryptionConfiguration = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
};
const KMS_KEY = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';

async function newBucket(): Promise<string> {
  const Bucket = uniqueBucket('sse');
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

const head = (Bucket: string, Key: string) => s3.send(new HeadObjectCommand({ Bucket, Key }));

describe('default encryption (Get/Put/DeleteBucketEncryption)', () => {
  it('is SSE-S3 on a new bucket, and objects say AES256', async () => {
    const Bucket = await newBucket();
    const got = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(got.ServerSideEncryptionConfiguration).toEqual(SSE_S3);
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'x' }));
    expect(put.ServerSideEncryption).toBe('AES256');
    expect(put.SSEKMSKeyId).toBeUndefined();
    expect((await head(Bucket, 'a')).ServerSideEncryption).toBe('AES256');
  });

  it('applies an aws:kms default with a bucket key to new objects only, and survives a restart', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'before', Body: 'x' }));
    const config = {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: KMS_KEY },
          BucketKeyEnabled: true,
        },
      ],
    };
    const put = await s3.send(
      new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: config }),
    );
    expect(put.$metadata.httpStatusCode).toBe(200);
    const written = await s3.send(new PutObjectCommand({ Bucket, Key: 'after', Body: 'y' }));
    expect([written.ServerSideEncryption, written.SSEKMSKeyId, written.BucketKeyEnabled]).toEqual([
      'aws:kms',
      KMS_KEY,
      true,
    ]);
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'copied', CopySource: `${Bucket}/before` }),
    );
    expect(copied.ServerSideEncryption).toBe('aws:kms');

    // A restart loses neither the bucket's default nor what each object was written with.
    const dataDir = emulator.dataDir;
    s3.destroy();
    await emulator.stopKeepingData();
    emulator = await startTestEmulator({ dataDir });
    s3 = s3Client(emulator.url);
    expect(
      (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration,
    ).toEqual(config);
    const before = await head(Bucket, 'before');
    expect([before.ServerSideEncryption, before.SSEKMSKeyId, before.BucketKeyEnabled]).toEqual([
      'AES256',
      undefined,
      undefined,
    ]);
    const after = await head(Bucket, 'after');
    expect([after.ServerSideEncryption, after.SSEKMSKeyId, after.BucketKeyEnabled]).toEqual([
      'aws:kms',
      KMS_KEY,
      true,
    ]);
  });

  it('names the AWS managed key for aws:kms without a key id, as an ARN for a bare key id', async () => {
    const Bucket = await newBucket();
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
        },
      }),
    );
    const managed = await s3.send(new PutObjectCommand({ Bucket, Key: 'm', Body: 'x' }));
    expect(managed.SSEKMSKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
    expect(managed.BucketKeyEnabled).toBeUndefined();
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'my-key-id' } },
          ],
        },
      }),
    );
    expect((await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }))).SSEKMSKeyId).toBe(
      'arn:aws:kms:us-east-1:000000000000:key/my-key-id',
    );
  });

  it('deletes with 204, also when nothing is configured, back to SSE-S3', async () => {
    const Bucket = await newBucket();
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
        },
      }),
    );
    for (let i = 0; i < 2; i++)
      expect((await s3.send(new DeleteBucketEncryptionCommand({ Bucket }))).$metadata.httpStatusCode).toBe(
        204,
      );
    expect(
      (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration,
    ).toEqual(SSE_S3);
    expect((await s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'x' }))).ServerSideEncryption).toBe(
      'AES256',
    );
  });

  it("refuses what AWS refuses, in AWS's words", async () => {
    const Bucket = await newBucket();
    await expectSdkError(
      s3.send(
        new PutBucketEncryptionCommand({
          Bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [
              { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: KMS_KEY } },
            ],
          },
        }),
      ),
      400,
      'InvalidArgument',
      'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
      { ArgumentName: 'ApplyServerSideEncryptionByDefault' },
    );
    const malformed =
      'The XML you provided was not well-formed or did not validate against our published schema';
    await expectSdkError(
      s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [] } })),
      400,
      'MalformedXML',
      malformed,
    );
    const rule = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' as const } };
    await expectSdkError(
      s3.send(
        new PutBucketEncryptionCommand({
          Bucket,
          ServerSideEncryptionConfiguration: { Rules: [rule, rule] },
        }),
      ),
      400,
      'MalformedXML',
      malformed,
    );
    const unknown =
      '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>DES</SSEAlgorithm>' +
      '</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>';
    await expectXmlError(
      await signedFetch(`${emulator.url}/${Bucket}?encryption`, {
        method: 'PUT',
        body: unknown,
        headers: {
          'content-md5': (await import('node:crypto')).createHash('md5').update(unknown).digest('base64'),
        },
      }),
      400,
      'MalformedXML',
      malformed,
    );
    // The bucket still has its default after the refusals.
    expect(
      (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration,
    ).toEqual(SSE_S3);
    for (const call of [
      new GetBucketEncryptionCommand({ Bucket: 'no-such-bucket-sse' }),
      new DeleteBucketEncryptionCommand({ Bucket: 'no-such-bucket-sse' }),
      new PutBucketEncryptionCommand({
        Bucket: 'no-such-bucket-sse',
        ServerSideEncryptionConfiguration: SSE_S3,
      }),
    ])
      await expectSdkError(
        s3.send(call as never),
        404,
        'NoSuchBucket',
        'The specified bucket does not exist',
        {
          BucketName: 'no-such-bucket-sse',
        },
      );
  });
});

describe('encryption asked for by the request', () => {
  it('applies x-amz-server-side-encryption (PutObject, POST, CopyObject) over the default', async () => {
    const Bucket = await newBucket();
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'k',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: KMS_KEY,
      }),
    );
    expect([put.ServerSideEncryption, put.SSEKMSKeyId]).toEqual(['aws:kms', KMS_KEY]);
    const got = await head(Bucket, 'k');
    expect([got.ServerSideEncryption, got.SSEKMSKeyId]).toEqual(['aws:kms', KMS_KEY]);
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'c', CopySource: `${Bucket}/k`, ServerSideEncryption: 'AES256' }),
    );
    expect([copied.ServerSideEncryption, copied.SSEKMSKeyId]).toEqual(['AES256', undefined]);

    const fields = {
      key: 'posted',
      'x-amz-server-side-encryption': 'aws:kms',
      ...sigV4Fields([{ bucket: Bucket }, { key: 'posted' }, { 'x-amz-server-side-encryption': 'aws:kms' }]),
    };
    const posted = await postForm(`${emulator.url}/${Bucket}`, fields, 'body');
    expect(posted.status, await posted.clone().text()).toBe(204);
    expect(posted.headers.get('x-amz-server-side-encryption')).toBe('aws:kms');
    expect((await head(Bucket, 'posted')).SSEKMSKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
  });

  it('refuses x-amz-server-side-encryption on GET and HEAD', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    await expectXmlError(
      await signedFetch(`${emulator.url}/${Bucket}/k`, {
        headers: { 'x-amz-server-side-encryption': 'aws:kms' },
      }),
      400,
      'InvalidArgument',
      'x-amz-server-side-encryption header is not supported for this operation.',
      { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: 'aws:kms' },
    );
    const head = await signedFetch(`${emulator.url}/${Bucket}/k`, {
      method: 'HEAD',
      headers: { 'x-amz-server-side-encryption': 'AES256' },
    });
    expect(head.status).toBe(400);
  });

  it('refuses an unknown method, and a KMS key without aws:kms, storing nothing', async () => {
    const Bucket = await newBucket();
    await expectXmlError(
      await signedFetch(`${emulator.url}/${Bucket}/bad`, {
        method: 'PUT',
        body: 'x',
        headers: { 'x-amz-server-side-encryption': 'DES' },
      }),
      400,
      'InvalidArgument',
      'The encryption method specified is not supported',
      { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: 'DES' },
    );
    await expectXmlError(
      await signedFetch(`${emulator.url}/${Bucket}/bad`, {
        method: 'PUT',
        body: 'x',
        headers: { 'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY },
      }),
      400,
      'InvalidArgument',
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
    );
    expect((await signedFetch(`${emulator.url}/${Bucket}/bad`, { method: 'HEAD' })).status).toBe(404);
  });
});

describe.skipIf(!hasAwsCli)('AWS CLI v2: s3api put-bucket-encryption / get-bucket-encryption', () => {
  it('puts and reads back an aws:kms default', async () => {
    const Bucket = await newBucket();
    const config = {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY },
          BucketKeyEnabled: true,
        },
      ],
    };
    const put = await runAws(emulator.url, [
      's3api',
      'put-bucket-encryption',
      '--bucket',
      Bucket,
      '--server-side-encryption-configuration',
      JSON.stringify(config),
    ]);
    expect(put.code, put.stderr).toBe(0);
    const got = await runAws(emulator.url, ['s3api', 'get-bucket-encryption', '--bucket', Bucket]);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual({ ServerSideEncryptionConfiguration: config });
  }, 120_000);
});
