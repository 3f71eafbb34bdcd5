import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator } from '../../test-support/start-test-emulator.ts';
import { INLINE_MAX } from './model/staging.ts';
import { uniqueBucket } from './s3-test-kit.ts';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

/** A POST upload whose file bytes the caller sends; resolves with the status once answered. */
function openPost(url: string, fields: Record<string, string>, size: number) {
  const boundary = 'budget-boundary';
  const head =
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const target = new URL(url);
  const req = request({
    host: '127.0.0.1',
    port: Number(target.port),
    method: 'POST',
    path: target.pathname,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': Buffer.byteLength(head) + size + Buffer.byteLength(tail),
    },
  });
  const status = new Promise<number>((resolve, reject) => {
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
  });
  req.write(head);
  return { req, status, end: () => req.end(tail) };
}

describe('bodies held in memory', () => {
  it('spill to temp files once 32 MiB of them are being received, and all land intact', async () => {
    const emulator = await startTestEmulator();
    const s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('budget');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const folder = join(emulator.dataDir, 's3', 'objects', Bucket);
    // 48 slow uploads of 1 MiB each (small enough to be held), all mid-body at once.
    const bodies = Array.from({ length: 48 }, () => randomBytes(INLINE_MAX));
    const uploads = await Promise.all(
      bodies.map(async (body, i) => {
        const { url, fields } = await createPresignedPost(s3, { Bucket, Key: `slow/${i}` });
        const upload = openPost(url, fields, body.length);
        upload.req.write(body.subarray(0, body.length - 1));
        return { ...upload, last: body.subarray(body.length - 1) };
      }),
    );
    let spilled = 0;
    for (let i = 0; i < 400 && spilled === 0; i++) {
      spilled = (await readdir(folder)).filter((f) => f.startsWith('.tmp-')).length;
      if (!spilled) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // 48 MiB were arriving: what did not fit in the 32 MiB went to disk.
    expect(spilled).toBeGreaterThan(0);
    for (const u of uploads) {
      u.req.write(u.last);
      u.end();
    }
    expect(await Promise.all(uploads.map((u) => u.status))).toEqual(bodies.map(() => 204));
    for (const [i, body] of bodies.entries()) {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: `slow/${i}` }));
      expect(md5(await got.Body!.transformToByteArray())).toBe(md5(body));
    }
    s3.destroy();
    await emulator.stop();
  });
});
