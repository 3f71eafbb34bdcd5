import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../../test-support/aws-cli.ts';
import { s3Client } from '../../test-support/clients.ts';
import { hasBoto3, runPython } from '../../test-support/python.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let dir: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  dir = await mkdtemp(join(tmpdir(), 's3-cli-'));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

const read = async (Bucket: string, Key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();

async function aws(...args: string[]): Promise<string> {
  const result = await runAws(emulator.url, args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

describe.skipIf(!hasAwsCli)('AWS CLI v2 (/usr/bin/aws)', () => {
  it('creates a bucket, puts and gets its CORS, copies a file and lists it', async () => {
    const bucket = uniqueBucket('cli');
    await aws('s3api', 'create-bucket', '--bucket', bucket);
    const cors = {
      CORSRules: [
        {
          AllowedMethods: ['POST'],
          AllowedOrigins: ['http://localhost:5173'],
          AllowedHeaders: ['*'],
          MaxAgeSeconds: 3000,
        },
      ],
    };
    await aws('s3api', 'put-bucket-cors', '--bucket', bucket, '--cors-configuration', JSON.stringify(cors));
    expect(JSON.parse(await aws('s3api', 'get-bucket-cors', '--bucket', bucket))).toEqual(cors);

    const file = join(dir, 'report final.txt');
    await writeFile(file, 'uploaded by the CLI\n');
    await aws('s3', 'cp', file, `s3://${bucket}/incoming/report final.txt`);
    expect(await read(bucket, 'incoming/report final.txt')).toBe('uploaded by the CLI\n');
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'incoming/report final.txt' })))
        .ContentType,
    ).toBe('text/plain');

    expect(await aws('s3', 'ls', `s3://${bucket}/`)).toMatch(/^\s+PRE incoming\/$/m);
    expect(await aws('s3', 'ls', `s3://${bucket}/incoming/`)).toMatch(/ 20 report final\.txt$/m);
    expect(await aws('s3', 'ls')).toContain(bucket);
    const back = join(dir, 'back.txt');
    await aws('s3', 'cp', `s3://${bucket}/incoming/report final.txt`, back);
    expect(await readFile(back, 'utf8')).toBe('uploaded by the CLI\n');
    // Each CLI start costs seconds; under a loaded full run this test needs more than the default.
  }, 180_000);

  it('reports S3 errors through the CLI', async () => {
    const result = await runAws(emulator.url, ['s3api', 'get-bucket-cors', '--bucket', 'no-such-bucket-cli']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('NoSuchBucket');
  });
});

/** boto3's generate_presigned_post, then a multipart POST with requests — both from Python. */
const BOTO3_POST = `
import json, os, sys, boto3, requests
from botocore.config import Config
extra = {'signature_version': 's3v4'} if os.environ['SIGV'] == 'v4' else {}
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
                  aws_access_key_id='test', aws_secret_access_key='test',
                  config=Config(s3={'addressing_style': 'path'}, **extra))
post = s3.generate_presigned_post(os.environ['BUCKET'], 'boto/' + os.environ['SIGV'] + '/\${filename}',
                                  Conditions=[['content-length-range', 1, 1000]], ExpiresIn=300)
r = requests.post(post['url'], data=post['fields'], files={'file': ('hello.txt', b'from boto3')})
print(json.dumps({'status': r.status_code, 'fields': sorted(post['fields']), 'body': r.text}))
`;

describe.skipIf(!hasBoto3)('boto3 (/usr/bin/python3) generate_presigned_post', () => {
  for (const [sigv, signingFields] of [
    ['v4', ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature']],
    ['v2', ['AWSAccessKeyId', 'signature']],
  ] as const)
    it(`uploads with a ${sigv === 'v4' ? 'SigV4' : 'SigV2 (boto3 default in us-east-1)'} form`, async () => {
      const bucket = uniqueBucket('boto');
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const result = await runPython(BOTO3_POST, { ENDPOINT: emulator.url, BUCKET: bucket, SIGV: sigv });
      expect(result.code, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout) as { status: number; fields: string[]; body: string };
      expect(out.fields).toEqual(expect.arrayContaining([...signingFields, 'key', 'policy']));
      expect(out.status, out.body).toBe(204);
      expect(await read(bucket, `boto/${sigv}/hello.txt`)).toBe('from boto3');
    });
});
