import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './core/log.ts';
import { startEmulator, type RunningEmulator } from './server.ts';
import { s3Client } from './test-support/clients.ts';
import { signRequest } from './test-support/sign.ts';

/**
 * What the local AWS answers to bytes its HTTP parser refuses, and to clients that hang up
 * mid-body (regressions found by the wire fuzz in test/reliability/).
 */
let emulator: RunningEmulator;
let dataDir: string;
let s3: S3Client;
const errors: string[] = [];
const BUCKET = 'client-error-bucket';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aws-emulator-test-'));
  const logger = { ...createLogger({ quiet: true }), error: (message: string) => void errors.push(message) };
  emulator = await startEmulator({ port: 0, dataDir, quiet: true, logger });
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Writes raw bytes, optionally hangs up after `hangUpMs`; resolves with everything read. */
function raw(bytes: string | Buffer, hangUpMs?: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: emulator.port });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(bytes);
    if (hangUpMs !== undefined) setTimeout(() => socket.destroy(), hangUpMs);
  });
}

const head = (method: string, path: string, headers: string[] = []) =>
  [`${method} ${path} HTTP/1.1`, `Host: localhost:${emulator.port}`, ...headers, '', ''].join('\r\n');

const MiB = 1024 * 1024;

/** Files in the bucket's folder besides its journal (where a cut-off body must leave nothing). */
const leftovers = async () =>
  (await readdir(join(dataDir, 's3', 'objects', BUCKET))).filter((name) => !/^journal\.\d+\.log$/.test(name));

describe('requests the HTTP parser refuses get an S3 XML error, not a bare 400', () => {
  it('oversized headers → 400 RequestHeaderSectionTooLarge with the limit', async () => {
    const answer = await raw(head('GET', '/', [`X-Big: ${'b'.repeat(20_000)}`, 'Connection: close']));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('Content-Type: application/xml');
    expect(answer).toContain('<Code>RequestHeaderSectionTooLarge</Code>');
    expect(answer).toContain(
      '<Message>Your request header section exceeds the maximum allowed size.</Message>',
    );
    expect(answer).toMatch(/<MaxSizeAllowed>\d+<\/MaxSizeAllowed><RequestId>[0-9A-F]{16}<\/RequestId>/);
  });

  it.each([
    ['an unknown method', () => head('FOO', '/')],
    ['a non-numeric Content-Length', () => head('PUT', `/${BUCKET}/k`, ['Content-Length: abc'])],
    ['a bad header name', () => head('GET', '/', ['Bad Header: x'])],
  ])('%s → 400 BadRequest', async (_name, request) => {
    const answer = await raw(request());
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('<Code>BadRequest</Code>');
    expect(answer).toContain('<Message>An error occurred when parsing the HTTP request.</Message>');
  });

  it('a body shorter than its Content-Length: the real answer comes first, then the 400 for the rest', async () => {
    const answer = await raw(`${head('GET', '/', ['Content-Length: 2'])}xxGARBAGE\r\n\r\n`);
    // ListBuckets without credentials: S3's AccessDenied, not the parse error of the leftover bytes.
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).toContain('<Code>AccessDenied</Code>');
    const second = answer.indexOf('HTTP/1.1 400');
    expect(second === -1 || answer.slice(second).includes('<Code>BadRequest</Code>')).toBe(true);
  });
});

describe('clients that hang up mid-body', () => {
  it('a PutObject cut off leaves no object, no temp file, and logs no internal error', async () => {
    const { url, init } = await signRequest({
      url: `${emulator.url}/${BUCKET}/cut.txt`,
      service: 's3',
      method: 'PUT',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(4 * MiB) },
    });
    const headers = Object.entries(init.headers as Record<string, string>).map(([k, v]) => `${k}: ${v}`);
    // Past 1 MiB, so the body is streaming into a temp file (smaller ones are held in memory).
    await raw(`${head('PUT', new URL(url).pathname, headers)}${'x'.repeat(1.5 * MiB)}`, 300);
    await expect.poll(() => leftovers(), { timeout: 5000 }).toEqual([]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(0);
    expect(errors).toEqual([]);
  });

  it('an aws-chunked PutObject cut off leaves no temp file behind (the decoder is told)', async () => {
    const { url, init } = await signRequest({
      url: `${emulator.url}/${BUCKET}/chunked.txt`,
      service: 's3',
      method: 'PUT',
      headers: {
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '11',
        'x-amz-trailer': 'x-amz-checksum-crc32',
        'content-length': '60',
      },
    });
    const headers = Object.entries(init.headers as Record<string, string>).map(([k, v]) => `${k}: ${v}`);
    await raw(`${head('PUT', new URL(url).pathname, headers)}b\r\nhello`, 300);
    await expect.poll(() => leftovers(), { timeout: 5000 }).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('an IAM call cut off mid-body is answered as IncompleteBody, not logged as an internal error', async () => {
    const body = 'Action=ListRoles&Version=2010-05-08';
    const { init } = await signRequest({
      url: `${emulator.url}/`,
      service: 'iam',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const headers = Object.entries(init.headers as Record<string, string>)
      .filter(([k]) => k.toLowerCase() !== 'content-length')
      .map(([k, v]) => `${k}: ${v}`);
    await raw(`${head('POST', '/', [...headers, `Content-Length: ${body.length + 50}`])}${body}`, 300);
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
    expect(errors).toEqual([]);
  });
});
