import { pipeline } from 'node:stream/promises';
import { authorize } from '../../../auth/authorize.ts';
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
import type { Acl, ObjectMeta } from '../model/types.ts';
import { GRANT_HEADERS } from '../access/acl.ts';
import { s3Authorization } from '../access/bucket-access.ts';
import { aclForNewObject, headerLookup } from '../access/write-acl.ts';
import { s3Errors, STORAGE_CLASSES } from '../s3-errors.ts';
import { versionErrors } from '../versioning/version-errors.ts';
import { requestedVersion, versionHeader, writtenVersionHeader } from '../versioning/version-params.ts';
import { tagsFromHeader } from './object-tags.ts';
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

/** Headers of a successful write: quoted ETag, SSE, the version id, and the checksum the client sent. */
export function writeHeaders(ctx: RequestContext, meta: ObjectMeta): Record<string, string> {
  return {
    ...s3Headers(ctx),
    ETag: `"${meta.etag}"`,
    ...sseHeaders(meta),
    ...writtenVersionHeader(meta.versionId),
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
  const acl = objectAclOfRequest(ctx, s3, bucket, key);
  const tags = tagsFromHeader(ctx.header('x-amz-tagging'));
  // Tagging on upload needs its own permission [DOC PutObject, "x-amz-tagging"].
  if (tags?.length) authorize(ctx, s3Authorization(s3, bucket, key, 's3:PutObjectTagging'));
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
  const meta = await s3.notifications.objectCreated(ctx, bucket, key, staged, 'ObjectCreated:Put', (id) =>
    s3.objects.commit(
      bucket,
      key,
      staged,
      {
        contentType: ctx.header('content-type') || DEFAULT_CONTENT_TYPE,
        metadata,
        headers: storedHeadersFromRequest(ctx),
        ...storedChecksum(declared, staged),
        ...(storageClass ? { storageClass } : {}),
        ...(tags?.length ? { tags } : {}),
        ...(acl ? { acl } : {}),
        ...sse,
      },
      id,
    ),
  );
  ctx.send(200, writeHeaders(ctx, meta));
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (and HeadObject): single
 * ranges → 206 with Content-Range; conditional headers → 304/412; `?versionId=` reads one
 * version, and a delete marker answers as §9.1 says.
 */
export async function getObject(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  refuseSseOnRead(ctx.header('x-amz-server-side-encryption'));
  const versionId = requestedVersion(ctx, s3, bucket);
  const opened = await s3.objects.openData(bucket, key, versionId);
  if (!opened) throw missingVersion(s3, bucket, key, versionId, ctx.method);
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
    const headers: Record<string, string | number> = {
      ...s3Headers(ctx),
      ...objectHeaders(ctx, meta),
      ...versionHeader(s3, bucket, meta.versionId),
    };
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

/** Why a GET/HEAD found nothing to read: no key, no such version, or a delete marker [§9.1]. */
export function missingVersion(
  s3: S3Model,
  bucket: string,
  key: string,
  versionId: string | undefined,
  method: string,
): Error {
  const entry = s3.objects.version(bucket, key, versionId);
  if (versionId === undefined)
    return entry ? versionErrors.currentIsDeleteMarker(key, entry.versionId) : s3Errors.noSuchKey(key);
  if (entry) return versionErrors.deleteMarkerMethod(method, entry.versionId);
  // A never-versioned bucket's `null` version is just the object.
  return s3.buckets.get(bucket)?.versioning
    ? versionErrors.noSuchVersion(key, versionId)
    : s3Errors.noSuchKey(key);
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html — 204 whether or not it
 * existed. Without a version id a versioned bucket gets a delete marker; with one, that version
 * (or marker) is removed for good [§9.1].
 */
export async function deleteObject(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const versionId = requestedVersion(ctx, s3, bucket);
  if (versionId !== undefined) {
    const removed = await s3.objects.deleteVersion(bucket, key, versionId);
    const versioned = s3.buckets.get(bucket)?.versioning !== undefined;
    ctx.send(204, {
      ...s3Headers(ctx),
      ...(versioned ? { 'x-amz-version-id': versionId } : {}),
      ...(removed && !removed.meta ? { 'x-amz-delete-marker': 'true' } : {}),
    });
    return;
  }
  const { marker } = await s3.objects.delete(bucket, key);
  ctx.send(204, {
    ...s3Headers(ctx),
    ...(marker ? { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId } : {}),
  });
}

/**
 * The ACL a PutObject or CopyObject asks for (see `access/write-acl.ts`); sending one also
 * needs s3:PutObjectAcl.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax
 */
export function objectAclOfRequest(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Acl | undefined {
  const headers = headerLookup(ctx.headers);
  const acl = aclForNewObject(s3.buckets.get(bucket)!, headers);
  if (headers['x-amz-acl'] !== undefined || Object.keys(GRANT_HEADERS).some((h) => headers[h] !== undefined))
    authorize(ctx, s3Authorization(s3, bucket, key, 's3:PutObjectAcl'));
  return acl;
}

/** The request's Content-Length as a staging hint (a large body is hashed off the main thread). */
export function announcedBytes(ctx: RequestContext): { expectedBytes?: number } {
  const length = Number(ctx.header('content-length'));
  return Number.isSafeInteger(length) && length >= 0 ? { expectedBytes: length } : {};
}
