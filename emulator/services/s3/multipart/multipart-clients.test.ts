import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../../../test-support/aws-cli.ts';
import { s3Client } from '../../../test-support/clients.ts';
import { hasBoto3, runPython } from '../../../test-support/python.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { MIB, newBucket } from './multipart-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let dir: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  dir = await mkdtemp(join(tmpdir(), 'mpu-clients-'));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Writes `mib` MiB of random bytes to a file, 1 MiB at a time; resolves with its SHA-256. */
async function randomFile(name: string, mib: number): Promise<{ path: string; sha256: string }> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  for (let i = 0; i < mib; i++) {
    const chunk = randomBytes(MIB);
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { path, sha256: hash.digest('hex') };
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
const fileSha256 = (path: string) => sha256Of(createReadStream(path));

const noUploadsLeft = async (Bucket: string) =>
  expect((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? []).toEqual([]);

describe.skipIf(!hasAwsCli)('AWS CLI v2 multipart (/usr/bin/aws s3 cp, default settings)', () => {
  it('copies a 100 MiB file up and down byte for byte', async () => {
    const bucket = await newBucket(s3, 'mpu-cli');
    const file = await randomFile('cli-100.bin', 100);
    const up = await runAws(emulator.url, ['s3', 'cp', file.path, `s3://${bucket}/big/cli.bin`]);
    expect(up.code, up.stderr).toBe(0);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big/cli.bin' }));
    // 8 MiB parts by default: 13 of them.
    expect([head.ContentLength, head.ETag]).toEqual([
      100 * MIB,
      expect.stringMatching(/^"[0-9a-f]{32}-13"$/),
    ]);
    const back = join(dir, 'cli-back.bin');
    const down = await runAws(emulator.url, ['s3', 'cp', `s3://${bucket}/big/cli.bin`, back]);
    expect(down.code, down.stderr).toBe(0);
    expect(await fileSha256(back)).toBe(file.sha256);
    await noUploadsLeft(bucket);
  });
});

describe.skipIf(!hasAwsCli)('AWS CLI v2 s3api multipart with --checksum-algorithm CRC32', () => {
  it('stores a COMPOSITE CRC32 of the parts the CLI checksummed, and the bytes intact', async () => {
    const bucket = await newBucket(s3, 'mpu-cli-crc');
    const one = await randomFile('cli-crc-1.bin', 5);
    const two = await randomFile('cli-crc-2.bin', 1);
    const api = async (...args: string[]) => {
      const result = await runAws(emulator.url, ['s3api', ...args, '--bucket', bucket, '--key', 'crc.bin']);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout || '{}') as Record<string, string>;
    };
    const { UploadId } = await api('create-multipart-upload', '--checksum-algorithm', 'CRC32');
    const parts = [];
    for (const [n, file] of [one, two].entries()) {
      const out = await api(
        'upload-part',
        '--upload-id',
        UploadId!,
        '--part-number',
        String(n + 1),
        '--body',
        file.path,
        '--checksum-algorithm',
        'CRC32',
      );
      expect(out['ChecksumCRC32']).toMatch(/^[A-Za-z0-9+/]{6}==$/);
      parts.push({ PartNumber: n + 1, ETag: out['ETag'], ChecksumCRC32: out['ChecksumCRC32'] });
    }
    const done = await api(
      'complete-multipart-upload',
      '--upload-id',
      UploadId!,
      '--multipart-upload',
      JSON.stringify({ Parts: parts }),
    );
    expect([done['ChecksumCRC32'], done['ETag']]).toEqual([
      expect.stringMatching(/==-2$/),
      expect.stringMatching(/-2"$/),
    ]);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'crc.bin', ChecksumMode: 'ENABLED' }),
    );
    expect([head.ChecksumType, head.ChecksumCRC32]).toEqual(['COMPOSITE', done['ChecksumCRC32']]);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'crc.bin' }));
    const hash = createHash('sha256');
    for await (const chunk of got.Body as Readable) hash.update(chunk as Buffer);
    const expected = createHash('sha256');
    for (const file of [one, two])
      for await (const chunk of createReadStream(file.path)) expected.update(chunk as Buffer);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
  });
});

describe.skipIf(!hasBoto3)('boto3 managed transfers (/usr/bin/python3)', () => {
  it('upload_file of 20 MiB goes multipart, client.copy goes through UploadPartCopy, both intact', async () => {
    const bucket = await newBucket(s3, 'mpu-boto');
    const file = await randomFile('boto-20.bin', 20);
    const back = join(dir, 'boto-back.bin');
    const script = `
import boto3, json, sys
s3 = boto3.client('s3', endpoint_url=${JSON.stringify(emulator.url)}, region_name='us-east-1',
                  aws_access_key_id='test', aws_secret_access_key='test')
s3.upload_file(${JSON.stringify(file.path)}, ${JSON.stringify(bucket)}, 'up.bin')
s3.copy({'Bucket': ${JSON.stringify(bucket)}, 'Key': 'up.bin'}, ${JSON.stringify(bucket)}, 'copied.bin')
s3.download_file(${JSON.stringify(bucket)}, 'copied.bin', ${JSON.stringify(back)})
print(json.dumps({k: s3.head_object(Bucket=${JSON.stringify(bucket)}, Key=k)['ETag'] for k in ['up.bin', 'copied.bin']}))
`;
    const run = await runPython(script);
    expect(run.code, run.stderr).toBe(0);
    const etags = JSON.parse(run.stdout) as Record<string, string>;
    // s3transfer's 8 MiB chunks: 3 parts each way (the copy's ETag is its own parts').
    expect(etags['up.bin']).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(etags['copied.bin']).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(await fileSha256(back)).toBe(file.sha256);
    const copied = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copied.bin' }));
    expect(await sha256Of(copied.Body as Readable)).toBe(file.sha256);
    await noUploadsLeft(bucket);
  });
});

describe('SDK v3 @aws-sdk/lib-storage Upload', () => {
  it('uploads 50 MiB from a stream in parts, intact', async () => {
    const bucket = await newBucket(s3, 'mpu-sdk');
    const file = await randomFile('sdk-50.bin', 50);
    const upload = new Upload({
      client: s3,
      params: {
        Bucket: bucket,
        Key: 'sdk.bin',
        Body: createReadStream(file.path),
        ContentType: 'application/x-lab',
      },
    });
    const done = await upload.done();
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-10"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'sdk.bin' }));
    expect([got.ContentLength, got.ContentType]).toEqual([50 * MIB, 'application/x-lab']);
    expect(await sha256Of(got.Body as Readable)).toBe(file.sha256);
    await noUploadsLeft(bucket);
  });
});
