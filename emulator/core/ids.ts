import { randomBytes, randomUUID } from 'node:crypto';

/** Random bytes for request ids, drawn 4 KiB at a time (one call per ~70 requests, not two per request). */
let pool = Buffer.alloc(0);
let used = 0;
function idBytes(n: number): Buffer {
  if (used + n > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}

/** An S3-style request id: 16 upper-case hex characters. */
export const s3RequestId = (): string => idBytes(8).toString('hex').toUpperCase();

/** The `x-amz-id-2` host id: opaque base64. */
export const hostId = (): string => idBytes(48).toString('base64');

export const uuid = (): string => randomUUID();

/** Random upper-case alphanumerics, as in `ASIA…` key ids and `AROA…` role ids. */
export function awsId(prefix: string, length = 20): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = prefix.length; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

export const secretKey = (): string => randomBytes(30).toString('base64').replace(/[+/=]/g, 'A').slice(0, 40);
