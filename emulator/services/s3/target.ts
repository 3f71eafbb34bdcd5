import type { RequestContext } from '../../core/context.ts';
import { safeDecode } from '../../core/query-string.ts';

/** Which bucket and key a request addresses. */
export interface S3Target {
  bucket?: string;
  /** Decoded object key; absent for bucket- and service-level requests. */
  key?: string;
}

/** `<bucket>.localhost[:port]`, as the SDK builds virtual-host URLs for a localhost endpoint. */
const VIRTUAL_HOST = /^(.+)\.localhost(?::\d+)?$/i;

/**
 * Reads the bucket and key from a path-style URL (`/bucket/key`) or a virtual-host one
 * (Host `bucket.localhost:4566`, path `/key`). The key keeps every character, `+` included.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
export function parseTarget(ctx: RequestContext): S3Target {
  const host = VIRTUAL_HOST.exec(ctx.header('host') ?? '');
  const raw = ctx.rawPath.startsWith('/') ? ctx.rawPath.slice(1) : ctx.rawPath;
  if (host) {
    const bucket = host[1]!.toLowerCase();
    return raw === '' ? { bucket } : { bucket, key: safeDecode(raw) };
  }
  if (raw === '') return {};
  const slash = raw.indexOf('/');
  if (slash === -1) return { bucket: safeDecode(raw) };
  const bucket = safeDecode(raw.slice(0, slash));
  const key = raw.slice(slash + 1);
  return key === '' ? { bucket } : { bucket, key: safeDecode(key) };
}

/** The URL of an object, in the addressing style the request used. */
export function objectUrl(ctx: RequestContext, bucket: string, key: string): string {
  if (VIRTUAL_HOST.test(ctx.header('host') ?? '')) return `${ctx.baseUrl}/${encodeKey(key)}`;
  return `${ctx.baseUrl}/${bucket}/${encodeKey(key)}`;
}

/** Keys made only of characters `encodeURIComponent` keeps (and `/`) need no encoding. */
const PLAIN_KEY = /^[A-Za-z0-9\-_.!~*'()/]*$/;

/** URI-encodes a key, keeping `/` (as S3 does in `Location`). */
export const encodeKey = (key: string): string =>
  PLAIN_KEY.test(key) ? key : key.split('/').map(encodeURIComponent).join('/');
