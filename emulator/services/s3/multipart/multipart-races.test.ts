import { request } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../../test-support/clients.ts';
import { signRequest } from '../../../test-support/sign.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { xmlError } from '../s3-test-kit.ts';
import { completeBody, MIB, newBucket, putPart, s3Fetch, startUpload } from './multipart-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  bucket = await newBucket(s3, 'mpu-race');
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

/** An UploadPart whose body is sent in two halves, `between` running after the first. */
async function partInTwoHalves(key: string, uploadId: string, between: () => Promise<void>) {
  const half = Buffer.alloc(3 * MIB, 'h');
  const signed = await signRequest({
    url: `${emulator.url}/${bucket}/${key}?partNumber=1&uploadId=${uploadId}`,
    service: 's3',
    method: 'PUT',
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(2 * half.length) },
  });
  // Resolves once both the answer and `between` are done (an early 404 can come before `between` ends).
  let betweenDone: Promise<void> = Promise.resolve();
  const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      signed.url,
      { method: 'PUT', headers: signed.init.headers as Record<string, string> },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on('error', reject);
    req.write(half, () => {
      betweenDone = between();
      betweenDone.then(
        () => req.end(half),
        (err: unknown) => {
          req.destroy();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  });
  await betweenDone;
  return answer;
}

describe('multipart races', () => {
  it('a part still arriving when its upload is aborted gets NoSuchUpload, and leaves no file', async () => {
    const id = await startUpload(emulator.url, bucket, 'aborted-mid-part');
    const answer = await partInTwoHalves('aborted-mid-part', id, async () => {
      const abort = await s3Fetch(emulator.url, 'DELETE', `/${bucket}/aborted-mid-part?uploadId=${id}`);
      expect(abort.status).toBe(204);
    });
    expect(answer.status, answer.text).toBe(404);
    expect(xmlError(answer.text)['Code']).toBe('NoSuchUpload');
    await emulator.stopKeepingData();
    expect(await readdir(join(emulator.dataDir, 's3', 'uploads', bucket))).toEqual([]);
    emulator = await startTestEmulator({ dataDir: emulator.dataDir });
    s3.destroy();
    s3 = s3Client(emulator.url);
  });

  it('a part still arriving when its upload completes gets NoSuchUpload; the object is what Complete listed', async () => {
    const id = await startUpload(emulator.url, bucket, 'completed-mid-part');
    const etag = await putPart(emulator.url, bucket, 'completed-mid-part', id, 2, 'listed');
    const answer = await partInTwoHalves('completed-mid-part', id, async () => {
      const done = await s3Fetch(emulator.url, 'POST', `/${bucket}/completed-mid-part?uploadId=${id}`, {
        body: completeBody([{ n: 2, etag }]),
      });
      expect(done.status, await done.text()).toBe(200);
    });
    expect(answer.status, answer.text).toBe(404);
    const got = await s3Fetch(emulator.url, 'GET', `/${bucket}/completed-mid-part`);
    expect(await got.text()).toBe('listed');
  });
});
