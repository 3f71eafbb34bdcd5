import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketCorsCommand,
  type CORSRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../../test-support/browser.ts';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { uniqueBucket } from './s3-test-kit.ts';

/** The page on the other origin: posts a form to S3 the way the lab's frontend does. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>upload</title><script>
async function upload(url, fields, text, extraHeaders) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([text], { type: 'text/plain' }), 'browser.txt');
  try {
    const r = await fetch(url, { method: 'POST', body: form, headers: extraHeaders || {} });
    return { status: r.status, etag: r.headers.get('etag'), body: await r.text() };
  } catch (e) {
    return { error: String(e) };
  }
}
</script>`;

let emulator: TestEmulator;
let s3: S3Client;
let site: Server;
let origin: string;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
const preflights: Array<{ url: string; status: number }> = [];

beforeAll(async () => {
  if (!hasChromium) return;
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  site = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  // DevTools reports the preflights Chromium sends on its own, with their status.
  cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Preflight') preflights.push({ url: e.response.url, status: e.response.status });
  });
  await page.goto(`${origin}/`);
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  s3?.destroy();
  await emulator?.stop();
});

async function bucketWith(rules: CORSRule[] | undefined): Promise<string> {
  const Bucket = uniqueBucket('browser');
  await s3.send(new CreateBucketCommand({ Bucket }));
  if (rules) await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: rules } }));
  return Bucket;
}

type Outcome = { status?: number; etag?: string | null; body?: string; error?: string };
async function browserUpload(
  Bucket: string,
  Key: string,
  headers?: Record<string, string>,
): Promise<Outcome> {
  const { url, fields } = await createPresignedPost(s3, {
    Bucket,
    Key,
    Conditions: [['content-length-range', 1, 1000]],
  });
  return page.evaluate(
    ([u, f, h]) =>
      (globalThis as unknown as { upload: (...a: unknown[]) => Promise<Outcome> }).upload(
        u,
        f,
        'sent by Chromium',
        h,
      ),
    [url, fields, headers] as const,
  );
}
const stored = async (Bucket: string, Key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();

describe.skipIf(!hasChromium)('a browser on another origin', () => {
  it('uploads with FormData and reads the response when the bucket CORS allows its origin', async () => {
    const Bucket = await bucketWith([
      { AllowedMethods: ['POST'], AllowedOrigins: [origin], ExposeHeaders: ['ETag'] },
    ]);
    const outcome = await browserUpload(Bucket, 'incoming/allowed.txt');
    expect(outcome).toEqual({ status: 204, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/), body: '' });
    expect(await stored(Bucket, 'incoming/allowed.txt')).toBe('sent by Chromium');
  });

  it('stores the upload but cannot read the answer when CORS does not allow the origin', async () => {
    for (const rules of [undefined, [{ AllowedMethods: ['POST'], AllowedOrigins: ['http://localhost:1'] }]]) {
      const Bucket = await bucketWith(rules);
      const outcome = await browserUpload(Bucket, 'incoming/blocked.txt');
      expect(outcome.error).toMatch(/TypeError: Failed to fetch/);
      expect(await stored(Bucket, 'incoming/blocked.txt')).toBe('sent by Chromium');
    }
  });

  it('gets 403 on the preflight from a disallowed origin, 200 from an allowed one', async () => {
    const blocked = await bucketWith([
      { AllowedMethods: ['POST'], AllowedOrigins: ['http://localhost:1'], AllowedHeaders: ['*'] },
    ]);
    preflights.length = 0;
    const refused = await browserUpload(blocked, 'incoming/preflighted.txt', { 'x-lab-trace': '1' });
    expect(refused.error).toMatch(/TypeError: Failed to fetch/);
    expect(preflights).toEqual([{ url: `${emulator.url}/${blocked}`, status: 403 }]);

    const allowed = await bucketWith([
      { AllowedMethods: ['POST'], AllowedOrigins: [origin], AllowedHeaders: ['x-lab-*'] },
    ]);
    preflights.length = 0;
    const ok = await browserUpload(allowed, 'incoming/preflighted.txt', { 'x-lab-trace': '1' });
    expect(ok.status).toBe(204);
    expect(preflights).toEqual([{ url: `${emulator.url}/${allowed}`, status: 200 }]);
  });
});
