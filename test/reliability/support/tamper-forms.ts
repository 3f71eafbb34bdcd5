import { createHmac } from 'node:crypto';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { TestCredentials } from '../../../emulator/test-support/clients.ts';
import { strayObjectFiles } from './store-guard.ts';

/** A ticket's form: fields in the order the ticket lists them (the file goes last). */
export type Form = Array<[string, string]>;

export interface Ticket {
  upload: { url: string; fields: Record<string, string> };
  object_key: string;
  bucket: string;
}

/** Asks the deployed ticket function for a ticket, as the frontend does. */
export async function requestTicket(apiEndpoint: string, filename: string, size = 5): Promise<Ticket> {
  const response = await fetch(`${apiEndpoint}/upload-url`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
    body: JSON.stringify({ filename, contentType: 'text/plain', size }),
  });
  if (response.status !== 200)
    throw new Error(`POST /upload-url → ${response.status} ${await response.text()}`);
  return (await response.json()) as Ticket;
}

export const formOf = (ticket: Ticket): Form => Object.entries(ticket.upload.fields);
export const field = (form: Form, name: string): string => form.find(([n]) => n === name)?.[1] ?? '';
/** The form with `name` set to `value` (in place), or added before the file when absent. */
export const withField = (form: Form, name: string, value: string): Form =>
  form.some(([n]) => n === name)
    ? form.map(([n, v]) => [n, n === name ? value : v])
    : [...form, [name, value]];
export const without = (form: Form, ...names: string[]): Form => form.filter(([n]) => !names.includes(n));

/** Posts a form the way a browser does: the fields, then the file part last. */
export async function postForm(
  url: string,
  form: Form,
  file: Uint8Array | string,
  filename = 'upload.txt',
): Promise<{ status: number; text: string }> {
  const body = new FormData();
  for (const [name, value] of form) body.append(name, value);
  body.append('file', new Blob([file], { type: 'text/plain' }), filename);
  const response = await fetch(url, { method: 'POST', body, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** SigV4 POST signature: hex HMAC-SHA256 of the base64 policy with the `s3` signing key. */
export function signV4(policy: string, secret: string, day: string, region = 'us-east-1'): string {
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(policy).digest('hex');
}

/** SigV2 POST signature: base64 HMAC-SHA1 of the base64 policy with the secret. */
export const signV2 = (policy: string, secret: string): string =>
  createHmac('sha1', secret).update(policy).digest('base64');

/**
 * A form signed by hand with real credentials, pinning what the ticket function pins (key,
 * bucket, content type, size 1..max) and expiring `seconds` from now (negative: already expired).
 */
export function craftForm(
  key: string,
  bucket: string,
  keys: TestCredentials,
  seconds: number,
  maxBytes = 10_485_760,
): Form {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const signing: Form = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${keys.accessKeyId}/${day}/us-east-1/s3/aws4_request`],
    ['X-Amz-Date', amzDate],
    ...(keys.sessionToken ? ([['X-Amz-Security-Token', keys.sessionToken]] as Form) : []),
  ];
  const fields: Form = [['Content-Type', 'text/plain'], ['bucket', bucket], ...signing, ['key', key]];
  const expiration = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const conditions = [['content-length-range', 1, maxBytes], ...fields.map(([n, v]) => ({ [n]: v }))];
  const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
  return [...fields, ['Policy', policy], ['X-Amz-Signature', signV4(policy, keys.secretAccessKey, day)]];
}

/** The elements of an S3 `<Error>`, by name. */
export function xmlError(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = /<Error>([\s\S]*)<\/Error>/.exec(text)?.[1] ?? '';
  for (const m of body.matchAll(/<([A-Za-z0-9-]+)>([\s\S]*?)<\/\1>/g))
    out[m[1]!] = m[2]!
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return out;
}

/** Keys stored under `prefix` (ListObjectsV2), and temp or orphan files in the object folders. */
export async function storedUnder(s3: S3Client, bucket: string, prefix: string, dataDir: string) {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return {
    keys: (listed.Contents ?? []).map((c) => c.Key!),
    strayFiles: await strayObjectFiles(dataDir),
  };
}
