import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsError, commonErrors } from '../core/aws-error.ts';
import type { RequestContext } from '../core/context.ts';
import type { CredentialStore, ResolvedKey } from './credentials.ts';
import { inServiceTerms } from './service-errors.ts';

const Sha256 = Hash.bind(null, 'sha256');
const MAX_SKEW_MS = 15 * 60_000;
const MAX_PRESIGN_SECONDS = 604_800;

/** The parts of a SigV4 signature, from the Authorization header or the presigned query. */
export interface SigV4Parts {
  accessKeyId: string;
  date: string; // yyyymmdd
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string; // yyyymmddTHHMMSSZ
  presigned?: { expires: number };
}

const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

function malformed(message: string): AwsError {
  return new AwsError('AuthorizationHeaderMalformed', message, { status: 400 });
}

/** Reads SigV4 from `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export function parseAuthorizationHeader(ctx: RequestContext): SigV4Parts | undefined {
  const header = ctx.header('authorization');
  if (!header?.startsWith('AWS4-HMAC-SHA256')) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice('AWS4-HMAC-SHA256'.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = CREDENTIAL.exec(fields.get('Credential') ?? '');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature)
    throw malformed('The authorization header is malformed; the Credential is mal-formed.');
  const amzDate = ctx.header('x-amz-date') ?? toAmzDate(ctx.header('date'));
  if (!amzDate)
    throw new AwsError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', {
      status: 403,
    });
  return {
    accessKeyId: credential[1]!,
    date: credential[2]!,
    region: credential[3]!,
    service: credential[4]!,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
  };
}

/** Reads SigV4 from a presigned URL's `X-Amz-*` query parameters. */
export function parsePresignedQuery(ctx: RequestContext): SigV4Parts | undefined {
  if (ctx.query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return undefined;
  const credential = CREDENTIAL.exec(ctx.query.get('X-Amz-Credential') ?? '');
  const amzDate = ctx.query.get('X-Amz-Date');
  const signature = ctx.query.get('X-Amz-Signature');
  const signedHeaders = ctx.query.get('X-Amz-SignedHeaders');
  const expires = Number(ctx.query.get('X-Amz-Expires'));
  if (!credential || !amzDate || !signature || !signedHeaders)
    throw new AwsError(
      'AuthorizationQueryParametersError',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      { status: 400 },
    );
  if (!Number.isInteger(expires) || expires <= 0 || expires > MAX_PRESIGN_SECONDS)
    throw new AwsError(
      'AuthorizationQueryParametersError',
      expires > MAX_PRESIGN_SECONDS
        ? 'X-Amz-Expires must be less than a week (in seconds) that is; 604800'
        : 'X-Amz-Expires must be non-negative',
      { status: 403 },
    );
  return {
    accessKeyId: credential[1]!,
    date: credential[2]!,
    region: credential[3]!,
    service: credential[4]!,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    presigned: { expires },
  };
}

/** `yyyymmddTHHMMSSZ` → epoch ms, or NaN. */
export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

function toAmzDate(httpDate: string | undefined): string | undefined {
  if (!httpDate) return undefined;
  const t = Date.parse(httpDate);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Verifies a SigV4-signed request by signing it again with `@smithy/signature-v4` from the
 * secret we hold, and comparing in constant time. Returns the key it resolved to.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
export async function verifySigV4(
  ctx: RequestContext,
  parts: SigV4Parts,
  credentials: CredentialStore,
  now = Date.now(),
): Promise<ResolvedKey> {
  try {
    return await verify(ctx, parts, credentials, now);
  } catch (err) {
    throw err instanceof AwsError ? inServiceTerms(parts.service, err) : err;
  }
}

async function verify(
  ctx: RequestContext,
  parts: SigV4Parts,
  credentials: CredentialStore,
  now: number,
): Promise<ResolvedKey> {
  const token = parts.presigned ? ctx.query.get('X-Amz-Security-Token') : ctx.header('x-amz-security-token');
  const key = credentials.resolve(parts.accessKeyId, token);

  const signedAt = parseAmzDate(parts.amzDate);
  if (Number.isNaN(signedAt)) throw malformed(`Invalid date ${parts.amzDate}`);
  if (parts.presigned) {
    if (now > signedAt + parts.presigned.expires * 1000)
      throw new AwsError('AccessDenied', 'Request has expired', {
        status: 403,
        fields: {
          'X-Amz-Expires': parts.presigned.expires,
          Expires: isoSeconds(signedAt + parts.presigned.expires * 1000),
          ServerTime: isoSeconds(now),
        },
      });
  } else if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw commonErrors.requestTimeTooSkewed(parts.amzDate, isoSeconds(now));
  }

  const isS3 = parts.service === 's3';
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: parts.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      // Only sign the token if the client did; it is checked against the session either way.
      ...(token !== undefined && (parts.presigned || parts.signedHeaders.includes('x-amz-security-token'))
        ? { sessionToken: token }
        : {}),
    },
    region: parts.region,
    service: parts.service,
    sha256: Sha256,
    uriEscapePath: !isS3,
    applyChecksum: false,
  });

  const signed = new Set(parts.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of parts.signedHeaders) {
    const value = ctx.header(name);
    if (value !== undefined) headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of ctx.queryPairs) {
    if (parts.presigned && k === 'X-Amz-Signature') continue;
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signingDate = new Date(signedAt);
  const request = {
    method: ctx.method,
    protocol: 'http:',
    hostname: (ctx.header('host') ?? '').replace(/:\d+$/, ''),
    path: ctx.rawPath,
    query,
    headers,
    body: undefined as Buffer | undefined,
  };

  let expected: string;
  if (parts.presigned) {
    // S3 presigned requests sign an unsigned payload.
    if (isS3 && !signed.has('x-amz-content-sha256'))
      request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    for (const k of [
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-SignedHeaders',
    ])
      delete query[k];
    if (token !== undefined) delete query['X-Amz-Security-Token'];
    const out = await signer.presign(request, {
      signingDate,
      expiresIn: parts.presigned.expires,
      signableHeaders: signed,
      unsignableHeaders: new Set(['x-amz-content-sha256'].filter((h) => !signed.has(h))),
      unhoistableHeaders: new Set(Object.keys(headers)),
      signingRegion: parts.region,
      signingService: parts.service,
    });
    expected = String(out.query?.['X-Amz-Signature'] ?? '');
  } else {
    const claimed = ctx.header('x-amz-content-sha256');
    if (isS3 && !claimed)
      throw new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', {
        status: 400,
      });
    if (!isS3) {
      // Other services sign the body itself: hash what arrived, whatever hash the client claims
      // (S3 checks its payload against the claimed hash while storing it).
      const body = await ctx.body();
      if (claimed !== undefined && claimed !== createHash('sha256').update(body).digest('hex'))
        throw commonErrors.signatureDoesNotMatch();
      request.body = body;
    }
    const out = await signer.sign(request, {
      signingDate,
      signableHeaders: signed,
      signingRegion: parts.region,
      signingService: parts.service,
    });
    expected = /Signature=([0-9a-f]+)/.exec(String(out.headers['authorization']))?.[1] ?? '';
  }

  if (!constantTimeEqual(expected, parts.signature))
    throw commonErrors.signatureDoesNotMatch(isS3 ? { AWSAccessKeyId: parts.accessKeyId } : {});
  return key;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
