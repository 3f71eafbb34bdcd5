import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';

/** A valid, unique bucket name. */
export const uniqueBucket = (prefix = 'lab'): string => `${prefix}-${randomBytes(5).toString('hex')}`;

/** The elements of an S3 `<Error>` document, by name. */
export function xmlError(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = /<Error>([\s\S]*)<\/Error>/.exec(text)?.[1] ?? '';
  for (const m of body.matchAll(/<([A-Za-z0-9-]+)>([\s\S]*?)<\/\1>/g))
    out[m[1]!] = m[2]!
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return out;
}

/** Asserts an HTTP response is S3's error with this status, code, message (and extra elements). */
export async function expectXmlError(
  response: Response,
  status: number,
  code: string,
  message: string | RegExp,
  fields: Record<string, string> = {},
): Promise<Record<string, string>> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const error = xmlError(text);
  expect(error['Code'], text).toBe(code);
  if (typeof message === 'string') expect(error['Message']).toBe(message);
  else expect(error['Message']).toMatch(message);
  for (const [name, value] of Object.entries(fields)) expect(error[name], name).toBe(value);
  expect(error['RequestId']).toMatch(/^[0-9A-F]{16}$/);
  return error;
}

/** Asserts an SDK v3 call fails with S3's error: status, code, message and extra fields. */
export async function expectSdkError(
  call: Promise<unknown>,
  status: number,
  code: string,
  message?: string,
  fields: Record<string, unknown> = {},
): Promise<void> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as (Error & { $metadata?: { httpStatusCode?: number } } & Record<string, unknown>) | undefined;
  expect(err, `expected ${code}`).toBeInstanceOf(Error);
  expect(err!.$metadata?.httpStatusCode).toBe(status);
  expect(err!.name).toBe(code);
  if (message !== undefined) expect(err!.message).toBe(message);
  for (const [name, value] of Object.entries(fields)) expect(err![name], name).toBe(value);
}

/** Posts a browser-style form: fields in order, then the file part last. */
export function postForm(
  url: string,
  fields: Record<string, string> | Array<[string, string]>,
  file: string | Uint8Array | undefined,
  filename = 'upload.txt',
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields))
    form.append(name, value);
  if (file !== undefined) form.append('file', new Blob([file]), filename);
  return fetch(url, { method: 'POST', body: form, headers, redirect: 'manual' });
}

/**
 * Sends a SigV4-signed request (header auth, root test/test) built by hand, for cases an SDK
 * would not produce: no content type, a wrong payload hash, an odd subresource.
 */
export async function signedFetch(
  url: string,
  init: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Response> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Hash } = await import('@smithy/hash-node');
  const target = new URL(url);
  const query: Record<string, string> = {};
  for (const [k, v] of target.searchParams) query[k] = v;
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  const payloadHash = body ? createHash('sha256').update(body).digest('hex') : 'UNSIGNED-PAYLOAD';
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    region: 'us-east-1',
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
  });
  const signed = await signer.sign({
    method: init.method ?? 'GET',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query,
    headers: { host: target.host, 'x-amz-content-sha256': payloadHash, ...init.headers },
  });
  const headers = { ...signed.headers };
  delete headers['host'];
  return fetch(url, { method: init.method ?? 'GET', headers, ...(body ? { body } : {}) });
}
