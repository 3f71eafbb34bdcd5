import { pipeline } from 'node:stream/promises';
import { decodedLength } from '../../../core/aws-chunked.ts';
import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { s3Headers } from '../../../protocols/rest-xml.ts';
import { objectSse, refuseSseOnRead, sseHeaders } from '../encryption/sse.ts';
import {
  checksumHeader,
  declaredDigests,
  stageOptionsFor,
  storedChecksum,
  verifyDigests,
} from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { ObjectMeta } from '../model/types.ts';
import { s3Errors, STORAGE_CLASSES } from '../s3-errors.ts';
import {
  checkConditions,
  metadataFromHeaders,
  objectHeaders,
  parseRange,
  storedHeadersFromRequest,
} from './object-headers.ts';

export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > 1024) throw s3Errors.keyTooLong(size);
}

export function storageClassFrom(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!STORAGE_CLASSES.has(value)) throw s3Errors.invalidStorageClass(value);
  return value;
}

/** Headers of a successful write: quoted ETag, SSE, and the checksum the client sent. */
export function writeHeaders(ctx: RequestContext, meta: ObjectMeta): Record<string, string> {
  return {
    ...s3Headers(ctx),
    ETag: `"${meta.etag}"`,
    ...sseHeaders(meta),
    ...(meta.checksum
      ? {
          [`x-amz-checksum-${meta.checksum.algorithm.toLowerCase()}`]: meta.checksum.value,
          'x-amz-checksum-type': 'FULL_OBJECT',
        }
      : {}),
  };
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html — streams the body
 * (plain, or aws-chunked with trailing checksums) to disk, verifies Content-MD5,
 * x-amz-content-sha256 and flexible checksums, then makes it visible atomically.
 */
export async function putObject(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  checkKey(key);
  const declared = declaredDigests(ctx);
  const trailer = ctx.header('x-amz-trailer')?.toLowerCase();
  const trailerAlgorithm = trailer?.startsWith('x-amz-checksum-')
    ? trailer.slice('x-amz-checksum-'.length)
    : undefined;
  const metadata = metadataFromHeaders(ctx);
  const storageClass = storageClassFrom(ctx.header('x-amz-storage-class'));
  const sse = objectSse(s3.buckets.get(bucket), (name) => ctx.header(name));
  const body = ctx.bodyStream();
  const staged = await s3.objects
    .stage(bucket, body, { ...stageOptionsFor(declared, trailerAlgorithm), ...announcedBytes(ctx) })
    .catch((err: unknown) => {
      // A client that hung up mid-body: nothing was stored; say so in S3's words, not as a 500.
      throw err instanceof AwsError || !ctx.req.destroyed ? err : s3Errors.incompleteBody();
    });
  try {
    const declaredLength = decodedLength(ctx.headers);
    if (declaredLength !== undefined && declaredLength !== staged.size) throw s3Errors.incompleteBody();
    if (!declared.checksum && 'trailers' in body) {
      const fromTrailer = checksumHeader((body as { trailers: Record<string, string> }).trailers);
      if (fromTrailer) declared.checksum = fromTrailer;
    }
    verifyDigests(declared, staged);
    if (ctx.header('if-none-match') === '*' && s3.objects.head(bucket, key))
      throw s3Errors.preconditionFailed('If-None-Match');
  } catch (err) {
    await s3.objects.discard(staged);
    throw err;
  }
  const meta = await s3.notifications.objectCreated(ctx, bucket, key, staged, 'ObjectCreated:Put', () =>
    s3.objects.commit(bucket, key, staged, {
      contentType: ctx.header('content-type') || DEFAULT_CONTENT_TYPE,
      metadata,
      headers: storedHeadersFromRequest(ctx),
      ...storedChecksum(declared, staged),
      ...(storageClass ? { storageClass } : {}),
      ...sse,
    }),
  );
  ctx.send(200, writeHeaders(ctx, meta));
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (and HeadObject): single
 * ranges → 206 with Content-Range; conditional headers → 304/412.
 */
export async function getObject(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  refuseSseOnRead(ctx.header('x-amz-server-side-encryption'));
  const opened = await s3.objects.openData(bucket, key);
  if (!opened) throw s3Errors.noSuchKey(key);
  const { meta, handle, offset } = opened;
  let streaming = false;
  try {
    if (checkConditions(ctx, meta) === 'not-modified') {
      ctx.send(304, {
        ...s3Headers(ctx),
        ETag: `"${meta.etag}"`,
        'Last-Modified': new Date(meta.lastModified).toUTCString(),
      });
      return;
    }
    const range = parseRange(ctx.header('range'), meta.size);
    const headers: Record<string, string | number> = { ...s3Headers(ctx), ...objectHeaders(ctx, meta) };
    if (range) {
      headers['Content-Range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
      for (const name of Object.keys(headers)) if (name.startsWith('x-amz-checksum-')) delete headers[name];
    }
    headers['Content-Length'] = range ? range.end - range.start + 1 : meta.size;
    ctx.writeHead(range ? 206 : 200, headers);
    if (ctx.method === 'HEAD' || meta.size === 0) {
      ctx.res.end();
      return;
    }
    streaming = true;
    const stream = handle.createReadStream({
      start: offset + (range?.start ?? 0),
      end: offset + (range?.end ?? meta.size - 1),
      autoClose: true,
    });
    await pipeline(stream, ctx.res).catch(() => ctx.res.destroy());
  } finally {
    if (!streaming) await handle.close();
  }
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html — 204 whether or not it existed. */
export async function deleteObject(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  await s3.objects.delete(bucket, key);
  ctx.send(204, s3Headers(ctx));
}

/** The request's Content-Length as a staging hint (a large body is hashed off the main thread). */
export function announcedBytes(ctx: RequestContext): { expectedBytes?: number } {
  const length = Number(ctx.header('content-length'));
  return Number.isSafeInteger(length) && length >= 0 ? { expectedBytes: length } : {};
}
