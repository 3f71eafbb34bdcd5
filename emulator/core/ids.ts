import { randomBytes, randomUUID } from 'node:crypto';

/** An S3-style request id: 16 upper-case hex characters. */
export const s3RequestId = (): string => randomBytes(8).toString('hex').toUpperCase();

/** The `x-amz-id-2` host id: opaque base64. */
export const hostId = (): string => randomBytes(48).toString('base64');

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
