import { createHmac } from 'node:crypto';
import type { TicketResponse } from '../../../solution/functions/upload-ticket/handler.ts';
import { objectKeyPattern, sanitizeFilename } from '../../../solution/functions/upload-ticket/ticket.ts';

/** What a ticket must confine, from the configuration that issued it. */
export interface TicketLimits {
  bucket: string;
  prefix: string;
  maxBytes: number;
  expiresSeconds: number;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** Seconds since the epoch of `yyyymmddTHHMMSSZ`. */
const amzSeconds = (d: string) =>
  Date.UTC(
    +d.slice(0, 4),
    +d.slice(4, 6) - 1,
    +d.slice(6, 8),
    +d.slice(9, 11),
    +d.slice(11, 13),
    +d.slice(13, 15),
  ) / 1000;

/**
 * Every way a 200 ticket could fail to confine the upload, checked against its decoded policy;
 * an empty list means the ticket is tight: the key is the documented `<prefix><uuid>-<safe name>`
 * for this filename, the policy pins that exact key, the bucket and every form field, allows
 * 1..maxBytes and nothing else, lives at most `expiresSeconds`, and is signed with the right key.
 */
export function ticketFaults(answer: TicketResponse, filename: string, limits: TicketLimits): string[] {
  const faults: string[] = [];
  const fail = (what: string) => faults.push(what);
  const key = answer.object_key;
  const fields = answer.upload.fields;
  if (!objectKeyPattern(limits.prefix).test(key)) fail(`key ${JSON.stringify(key)} outside the safe pattern`);
  if (!key.endsWith(`-${sanitizeFilename(filename)}`)) fail('key does not end with the sanitized filename');
  if (fields['key'] !== key) fail('form key differs from object_key');
  if (answer.bucket !== limits.bucket || fields['bucket'] !== limits.bucket) fail('wrong bucket');
  if (answer.max_bytes !== limits.maxBytes) fail(`max_bytes ${answer.max_bytes}`);
  if (answer.expires_in !== limits.expiresSeconds) fail(`expires_in ${answer.expires_in}`);
  const original = fields['x-amz-meta-original-name'] ?? '';
  if (!/^[\x21-\x7e]{1,1024}$/.test(original)) fail('original-name metadata not short printable ASCII');

  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(fields['Policy'] ?? '', 'base64').toString('utf8')) as typeof policy;
  } catch {
    return [...faults, 'Policy is not base64 JSON'];
  }
  const conditions = Array.isArray(policy.conditions) ? (policy.conditions as unknown[]) : [];
  const exact = new Map<string, unknown>();
  const ranges: unknown[][] = [];
  for (const c of conditions) {
    if (Array.isArray(c) && c[0] === 'content-length-range') ranges.push(c);
    else if (c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 1) {
      const [name, value] = Object.entries(c)[0]!;
      exact.set(name.toLowerCase(), value);
    } else fail(`loose condition ${JSON.stringify(c)}`);
  }
  if (JSON.stringify(ranges) !== JSON.stringify([['content-length-range', 1, limits.maxBytes]]))
    fail(`size range ${JSON.stringify(ranges)}`);
  if (exact.get('key') !== key) fail('policy does not pin the exact key');
  if (exact.get('bucket') !== limits.bucket) fail('policy does not pin the bucket');
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'Policy' || name === 'X-Amz-Signature') continue;
    if (exact.get(name.toLowerCase()) !== value) fail(`field ${name} not pinned by the policy`);
  }
  for (const name of exact.keys())
    if (!Object.keys(fields).some((f) => f.toLowerCase() === name)) fail(`condition on absent field ${name}`);

  const date = fields['X-Amz-Date'] ?? '';
  const lifetime = Date.parse(String(policy.expiration)) / 1000 - amzSeconds(date);
  if (!(lifetime > 0 && lifetime <= limits.expiresSeconds)) fail(`lifetime ${lifetime}s`);
  const day = date.slice(0, 8);
  if (fields['X-Amz-Credential'] !== `${limits.accessKeyId}/${day}/${limits.region}/s3/aws4_request`)
    fail('credential scope');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${limits.secretAccessKey}`, day), limits.region), 's3'),
    'aws4_request',
  );
  const signature = createHmac('sha256', signingKey)
    .update(fields['Policy'] ?? '')
    .digest('hex');
  if (fields['X-Amz-Signature'] !== signature) fail('signature does not verify');
  return faults;
}
