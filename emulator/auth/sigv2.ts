import { createHmac } from 'node:crypto';
import { AwsError, commonErrors } from '../core/aws-error.ts';
import type { RequestContext } from '../core/context.ts';
import type { CredentialStore, ResolvedKey } from './credentials.ts';
import { constantTimeEqual } from './sigv4.ts';

/** A SigV2 query-string signature: `?AWSAccessKeyId=…&Expires=…&Signature=…`. */
export interface SigV2Query {
  accessKeyId: string;
  /** Epoch seconds, as sent. */
  expires: string;
  signature: string;
}

/** `<bucket>.localhost[:port]`: a virtual-host request signs `/<bucket>` before its path. */
const VIRTUAL_HOST = /^(.+)\.localhost(?::\d+)?$/i;

/** The subresources and response overrides that are part of the SigV2 canonical resource [DOC RESTAuthentication]. */
const SIGNED_SUBRESOURCES = new Set([
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'delete',
  'encryption',
  'inventory',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'partNumber',
  'policy',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'select',
  'select-type',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Reads a SigV2 presigned query. Any of `Signature` / `AWSAccessKeyId` makes it one; then all
 * three parameters are needed [REC: 403 AccessDenied "Query-string authentication requires the
 * Signature, Expires and AWSAccessKeyId parameters"].
 */
export function parseSigV2Query(ctx: RequestContext): SigV2Query | undefined {
  const signature = ctx.query.get('Signature');
  const accessKeyId = ctx.query.get('AWSAccessKeyId');
  const expires = ctx.query.get('Expires');
  if (signature === undefined && accessKeyId === undefined) return undefined;
  if (signature === undefined || accessKeyId === undefined || expires === undefined)
    throw new AwsError(
      'AccessDenied',
      'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
      { status: 403 },
    );
  return { accessKeyId, expires, signature };
}

/**
 * The SigV2 string to sign of a query-authenticated request:
 * `METHOD\nContent-MD5\nContent-Type\nExpires\n` + canonicalized `x-amz-*` (headers, and the
 * `x-amz-*` query parameters SDKs hoist there) + canonicalized resource.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
 */
export function sigV2StringToSign(ctx: RequestContext, expires: string): string {
  const amz = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const list = amz.get(name) ?? [];
    list.push(value.trim().replace(/\s+/g, ' '));
    amz.set(name, list);
  };
  for (const [name, value] of Object.entries(ctx.headers))
    if (name.startsWith('x-amz-') && value !== undefined)
      for (const v of Array.isArray(value) ? value : [value]) add(name, v);
  for (const [name, value] of ctx.queryPairs)
    if (name.toLowerCase().startsWith('x-amz-')) add(name.toLowerCase(), value);
  const amzLines = [...amz.keys()]
    .sort()
    .map((name) => `${name}:${amz.get(name)!.join(',')}\n`)
    .join('');

  const host = VIRTUAL_HOST.exec(ctx.header('host') ?? '');
  let resource = host ? `/${host[1]!.toLowerCase()}${ctx.rawPath}` : ctx.rawPath;
  const subresources = ctx.queryPairs
    .filter(([name]) => SIGNED_SUBRESOURCES.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  if (subresources.length) resource += `?${subresources.join('&')}`;
  return [
    ctx.method,
    ctx.header('content-md5') ?? '',
    ctx.header('content-type') ?? '',
    expires,
    `${amzLines}${resource}`,
  ].join('\n');
}

/** Space-separated hex bytes, as S3 shows `StringToSignBytes`. */
const hexBytes = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Verifies a SigV2 query signature, in S3's order: the expiry, the access key (and session
 * token), then `base64(HMAC-SHA1(secret, stringToSign))`. Returns the key it resolved to.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html#RESTAuthenticationQueryStringAuth
 */
export function verifySigV2Query(
  ctx: RequestContext,
  query: SigV2Query,
  credentials: CredentialStore,
  now = Date.now(),
): ResolvedKey {
  if (!/^\d{1,12}$/.test(query.expires))
    throw new AwsError('AccessDenied', `Invalid date (should be seconds since epoch): ${query.expires}`, {
      status: 403,
    });
  const expiresAt = Number(query.expires) * 1000;
  if (now > expiresAt)
    throw new AwsError('AccessDenied', 'Request has expired', {
      status: 403,
      fields: { Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) },
    });
  const token = ctx.query.get('x-amz-security-token') ?? ctx.header('x-amz-security-token');
  const key = credentials.resolve(query.accessKeyId, token);
  const stringToSign = sigV2StringToSign(ctx, query.expires);
  const expected = createHmac('sha1', key.secretAccessKey).update(stringToSign, 'utf8').digest('base64');
  if (!constantTimeEqual(expected, query.signature))
    throw commonErrors.signatureDoesNotMatch({
      AWSAccessKeyId: query.accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: query.signature,
      StringToSignBytes: hexBytes(stringToSign),
    });
  return key;
}
