import { Readable } from 'node:stream';
import { authorize } from '../../../auth/authorize.ts';
import type { RequestContext } from '../../../core/context.ts';
import { safeDecode } from '../../../core/query-string.ts';
import { sendXml } from '../../../protocols/rest-xml.ts';
import { copiedChecksum, copyAlgorithm, stageOptionsFor } from '../digests.ts';
import { objectSse } from '../encryption/sse.ts';
import type { S3Model } from '../model/s3-model.ts';
import { s3Errors } from '../s3-errors.ts';
import { s3Authorization } from '../access/bucket-access.ts';
import {
  checkKey,
  DEFAULT_CONTENT_TYPE,
  objectAclOfRequest,
  storageClassFrom,
  writeHeaders,
} from './object-handlers.ts';
import { metadataFromHeaders, storedHeadersFromRequest } from './object-headers.ts';
import { tagsFromHeader } from './object-tags.ts';
import { checkVersionId, versionHeader } from '../versioning/version-params.ts';
import { versionErrors } from '../versioning/version-errors.ts';
import type { Tag } from '../model/types.ts';

/** `x-amz-copy-source: [/]bucket/key[?versionId=…]`, URL-encoded. */
export function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
  const [rawPath, query] = value.split('?', 2) as [string, string | undefined];
  const path = safeDecode(rawPath).replace(/^\//, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1)
    throw s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  const versionId =
    query === undefined ? undefined : (new URLSearchParams(query).get('versionId') ?? undefined);
  return {
    bucket: path.slice(0, slash),
    key: path.slice(slash + 1),
    ...(versionId !== undefined ? { versionId } : {}),
  };
}

/** `x-amz-tagging-directive`: COPY (default) keeps the source's tags, REPLACE takes `x-amz-tagging`. */
function copiedTags(ctx: RequestContext, from: Tag[] | undefined): Tag[] | undefined {
  const directive = ctx.header('x-amz-tagging-directive')?.toUpperCase() ?? 'COPY';
  // UNVERIFIED: the text for an unknown directive.
  if (directive !== 'COPY' && directive !== 'REPLACE')
    throw s3Errors.invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', directive);
  return directive === 'COPY' ? from : tagsFromHeader(ctx.header('x-amz-tagging'));
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html — needs s3:GetObject on
 * the source (s3:GetObjectVersion for `?versionId=`) besides s3:PutObject on the target; metadata
 * and tags copied unless REPLACE.
 */
export async function copyObject(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  checkKey(key);
  const source = parseCopySource(ctx.header('x-amz-copy-source')!);
  if (!s3.buckets.get(source.bucket)) throw s3Errors.noSuchBucket(source.bucket);
  const sourceVersion = checkVersionId(s3, source.bucket, source.versionId);
  authorize(
    ctx,
    s3Authorization(
      s3,
      source.bucket,
      source.key,
      sourceVersion === undefined ? 's3:GetObject' : 's3:GetObjectVersion',
    ),
  );
  const acl = objectAclOfRequest(ctx, s3, bucket, key);
  const replace = ctx.header('x-amz-metadata-directive')?.toUpperCase() === 'REPLACE';
  const storageClass = storageClassFrom(ctx.header('x-amz-storage-class'));
  const tagsHeader = ctx.header('x-amz-tagging-directive')?.toUpperCase() === 'REPLACE';
  // Copying a named version onto its key restores it: not a copy to itself (UNVERIFIED).
  if (
    source.bucket === bucket &&
    source.key === key &&
    !replace &&
    !storageClass &&
    sourceVersion === undefined
  )
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  if (tagsHeader && ctx.header('x-amz-tagging'))
    authorize(ctx, s3Authorization(s3, bucket, key, 's3:PutObjectTagging'));
  const opened = await s3.objects.openData(source.bucket, source.key, sourceVersion);
  if (!opened) throw missingSource(s3, source.bucket, source.key, sourceVersion);
  const sse = objectSse(s3.buckets.get(bucket), (name) => ctx.header(name));
  const { meta: from, handle, offset } = opened;
  let tags: Tag[] | undefined;
  try {
    tags = copiedTags(ctx, from.tags);
  } catch (err) {
    await handle.close();
    throw err;
  }
  // An empty object has no byte range to read (`end` would fall before `start`).
  if (from.size === 0) await handle.close();
  const bytes =
    from.size === 0
      ? Readable.from([])
      : handle.createReadStream({ start: offset, end: offset + from.size - 1, autoClose: true });
  const algorithm = copyAlgorithm(ctx.header('x-amz-checksum-algorithm'), from.checksum);
  const staged = await s3.objects.stage(bucket, bytes, {
    ...stageOptionsFor({ checksum: { algorithm, value: '' } }),
    expectedBytes: from.size,
  });
  // Recomputed over the copy's bytes: a COMPOSITE source checksum becomes a FULL_OBJECT one (§9.5).
  const checksum = copiedChecksum(algorithm, from.checksum, staged);
  const meta = await s3.notifications.objectCreated(ctx, bucket, key, staged, 'ObjectCreated:Copy', (id) =>
    s3.objects.commit(
      bucket,
      key,
      staged,
      {
        contentType: replace ? ctx.header('content-type') || DEFAULT_CONTENT_TYPE : from.contentType,
        metadata: replace ? metadataFromHeaders(ctx) : from.metadata,
        headers: replace ? storedHeadersFromRequest(ctx) : from.headers,
        ...(checksum ? { checksum } : {}),
        ...((storageClass ?? from.storageClass) ? { storageClass: storageClass ?? from.storageClass! } : {}),
        ...(tags?.length ? { tags } : {}),
        ...(acl ? { acl } : {}),
        ...sse,
      },
      id,
    ),
  );
  const headers: Record<string, string> = {
    ...writeHeaders(ctx, meta),
    // A suspended target answers VersionId `null` here, unlike PutObject [§9.1 REC-assert].
    ...versionHeader(s3, bucket, meta.versionId),
    ...(s3.buckets.get(source.bucket)?.versioning
      ? { 'x-amz-copy-source-version-id': from.versionId ?? 'null' }
      : {}),
  };
  // The checksum is in the result document, not in headers.
  for (const name of Object.keys(headers))
    if (name === 'ETag' || name.startsWith('x-amz-checksum-')) delete headers[name];
  sendXml(
    ctx,
    200,
    'CopyObjectResult',
    {
      ETag: `"${meta.etag}"`,
      LastModified: meta.lastModified,
      ...(meta.checksum
        ? { ChecksumType: 'FULL_OBJECT', [`Checksum${meta.checksum.algorithm}`]: meta.checksum.value }
        : {}),
    },
    headers,
  );
}

/** The copy source is missing: no key, no such version, or a delete marker. */
/** Why a copy source cannot be read: no key, no such version, or a delete marker named by id. */
export function missingSource(
  s3: S3Model,
  bucket: string,
  key: string,
  versionId: string | undefined,
): Error {
  const entry = s3.objects.version(bucket, key, versionId);
  if (versionId === undefined || !s3.buckets.get(bucket)?.versioning) return s3Errors.noSuchKey(key);
  // UNVERIFIED: the text AWS uses for a copy of a delete marker named by its version id.
  if (entry)
    return s3Errors.invalidRequest(
      'The source of a copy request may not specifically refer to a delete marker by version id.',
    );
  return versionErrors.noSuchVersion(key, versionId);
}
