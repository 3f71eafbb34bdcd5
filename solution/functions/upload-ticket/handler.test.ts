import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HttpApiEvent } from '../lib/http.ts';
import { readTicketConfig } from './config.ts';
import type { TicketConfig } from './config.ts';
import { createTicketHandler, handler } from './handler.ts';
import type { TicketResponse } from './handler.ts';
import { OBJECT_KEY_PATTERN } from './ticket.ts';

// Presigning is local computation: static credentials, and no request ever leaves the process.
beforeAll(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('UPLOAD_BUCKET', undefined);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const awsConfig = readTicketConfig({
  UPLOAD_BUCKET: 'upload-lab-123456789012-eu-west-1',
  AWS_REGION: 'eu-west-1',
});
const localConfig = readTicketConfig({
  UPLOAD_BUCKET: 'upload-lab-000000000000-us-east-1',
  AWS_ENDPOINT_URL: 'http://localhost:4566',
});

function event(body: unknown, base64 = false): HttpApiEvent {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    version: '2.0',
    routeKey: 'POST /upload-url',
    rawPath: '/upload-url',
    headers: { 'content-type': 'application/json' },
    body: base64 ? Buffer.from(text).toString('base64') : text,
    isBase64Encoded: base64,
  };
}

async function ticket(body: unknown, config: TicketConfig = awsConfig, base64 = false) {
  const result = await createTicketHandler(() => config)(event(body, base64));
  expect(result.headers['content-type']).toBe('application/json');
  return { status: result.statusCode, body: JSON.parse(result.body) as TicketResponse & { code?: string } };
}

interface PolicyDocument {
  expiration: string;
  conditions: unknown[];
}

/** Seconds from signing (`X-Amz-Date`, e.g. 20261129T040529Z) to the policy's expiration. */
function lifetimeSeconds(response: TicketResponse): number {
  const signed = response.upload.fields['X-Amz-Date'] ?? '';
  const iso = signed.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
  return (Date.parse(policyOf(response).expiration) - Date.parse(iso)) / 1000;
}

function policyOf(response: TicketResponse): PolicyDocument {
  const encoded = response.upload.fields.Policy;
  expect(encoded).toBeTypeOf('string');
  return JSON.parse(Buffer.from(encoded ?? '', 'base64').toString('utf8')) as PolicyDocument;
}

describe('upload-ticket handler', () => {
  it('answers a ticket whose policy confines the exact key, the size and the content type', async () => {
    const { status, body } = await ticket({
      filename: 'holiday photo.png',
      contentType: 'image/png',
      size: 1234,
    });
    expect(status).toBe(200);
    expect(body.object_key).toMatch(OBJECT_KEY_PATTERN);
    expect(body.object_key.endsWith('-holiday_photo.png')).toBe(true);
    expect(body).toMatchObject({ bucket: awsConfig.bucket, expires_in: 900, max_bytes: 10485760 });
    expect(body.upload.url).toBe('https://upload-lab-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com/');
    expect(body.upload.fields).toMatchObject({
      key: body.object_key,
      'Content-Type': 'image/png',
      'x-amz-meta-original-name': 'holiday%20photo.png',
    });

    const policy = policyOf(body);
    expect(policy.conditions).toContainEqual({ key: body.object_key });
    expect(policy.conditions).toContainEqual({ bucket: awsConfig.bucket });
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 10485760]);
    expect(policy.conditions).toContainEqual({ 'Content-Type': 'image/png' });
    expect(policy.conditions).toContainEqual({ 'x-amz-meta-original-name': 'holiday%20photo.png' });
    expect(JSON.stringify(policy.conditions)).not.toMatch(/starts-with|\$\{filename\}/);
    expect(lifetimeSeconds(body)).toBe(900);
  });

  it('gives every request its own key', async () => {
    const [a, b] = await Promise.all([ticket({ filename: 'a.png' }), ticket({ filename: 'a.png' })]);
    expect(a.body.object_key).not.toBe(b.body.object_key);
  });

  it('omits the Content-Type field and condition when no type is given', async () => {
    const { body } = await ticket({ filename: 'notes' });
    expect(body.upload.fields).not.toHaveProperty('Content-Type');
    expect(JSON.stringify(policyOf(body).conditions)).not.toMatch(/content-type/i);
  });

  it('caps the expiry at 15 minutes and keeps a shorter one', async () => {
    const long = readTicketConfig({ UPLOAD_BUCKET: 'b-long', UPLOAD_EXPIRES_SECONDS: '86400' });
    const capped = (await ticket({ filename: 'a' }, long)).body;
    expect(capped.expires_in).toBe(900);
    expect(lifetimeSeconds(capped)).toBe(900);
    const short = readTicketConfig({ UPLOAD_BUCKET: 'b-short', UPLOAD_EXPIRES_SECONDS: '60' });
    const { body } = await ticket({ filename: 'a' }, short);
    expect(body.expires_in).toBe(60);
    expect(lifetimeSeconds(body)).toBe(60);
  });

  it('signs a path-style URL when an endpoint override is set (the local AWS)', async () => {
    const { body } = await ticket({ filename: 'a.png' }, localConfig);
    expect(body.upload.url).toBe('http://localhost:4566/upload-lab-000000000000-us-east-1');
  });

  it('reads base64-encoded bodies', async () => {
    const { status, body } = await ticket(
      { filename: 'b64.txt', contentType: 'text/plain' },
      awsConfig,
      true,
    );
    expect(status).toBe(200);
    expect(body.object_key.endsWith('-b64.txt')).toBe(true);
  });

  it.each([
    ['not JSON', '{nope', 'INVALID_JSON'],
    ['an array', [], 'INVALID_BODY'],
    ['no filename', { contentType: 'image/png' }, 'MISSING_FILENAME'],
    ['a negative size', { filename: 'a', size: -5 }, 'INVALID_SIZE'],
    ['a file over the limit', { filename: 'a', size: 10485761 }, 'FILE_TOO_LARGE'],
    [
      'a disallowed type',
      { filename: 'a.exe', contentType: 'application/x-msdownload' },
      'CONTENT_TYPE_NOT_ALLOWED',
    ],
  ])('answers 400 {error, code} for %s', async (_name, body, code) => {
    const answer = await ticket(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: expect.any(String) as string, code });
  });

  it('answers 400, not 5xx, for an event without a body or no event at all', async () => {
    const run = createTicketHandler(() => awsConfig);
    expect((await run({ version: '2.0' })).statusCode).toBe(400);
    expect((await run(null)).statusCode).toBe(400);
  });

  it('never answers 5xx to anything a client can send', async () => {
    const run = createTicketHandler(() => awsConfig);
    const bodies = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc
        .record(
          {
            filename: fc.oneof(fc.string({ unit: 'binary', maxLength: 5000 }), fc.jsonValue()),
            size: fc.jsonValue(),
          },
          { requiredKeys: ['filename'] },
        )
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), async (body, base64) => {
        const result = await run(event(body, base64));
        expect(result.statusCode).toBeLessThan(500);
        expect(JSON.parse(result.body)).toBeTypeOf('object');
      }),
      { numRuns: 300 },
    );
  });

  it('answers a JSON 500 with code CONFIG, and logs, when UPLOAD_BUCKET is missing', async () => {
    const run = createTicketHandler(() => readTicketConfig({}));
    const result = await run(event({ filename: 'a.png' }));
    expect(result.statusCode).toBe(500);
    expect(result.headers['content-type']).toBe('application/json');
    const body = JSON.parse(result.body) as { error: string; code: string };
    expect(body.code).toBe('CONFIG');
    expect(body.error).toContain('UPLOAD_BUCKET');
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('UPLOAD_BUCKET'));
  });

  it('the exported handler reads the process environment', async () => {
    // UPLOAD_BUCKET is unset above, so the real entry point must say so.
    const result = await handler(event({ filename: 'a.png' }));
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'CONFIG' });
  });
});
