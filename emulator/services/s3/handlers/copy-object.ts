import { Readable } from 'node:stream';
import { authorize } from '../../../auth/authorize.ts';
import type { RequestContext } from '../../../core/context.ts';
import { safeDecode } from '../../../core/query-string.ts';
import { sendXml } from '../../../protocols/rest-xml.ts';
import { copiedChecksum, copyAlgorithm, stageOptionsFor } from '../digests.ts';
import { objectSse } from '../encryption/sse.ts';
import type { S3Model } from '../model/s3-model.ts';
import { s3Errors } from '../s3-errors.ts';
import { checkKey, DEFAULT_CONTENT_TYPE, storageClassFrom, writeHeaders } from './object-handlers.ts';
import { metadataFromHeaders, storedHeadersFromRequest } from './object-headers.ts';

/** `x-amz-copy-source: [/]bucket/key[?versionId=…]`, URL-encoded. */
function parseCopySource(value: string): { bucket: string; key: string } {
  const path = safeDecode(value.split('?')[0]!).replace(/^\//, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1)
    throw s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html — needs s3:GetObject on
 * the source besides s3:PutObject on the target; metadata copied unless REPLACE.
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
  authorize(ctx, { action: 's3:GetObject', resource: `arn:aws:s3:::${source.bucket}/${source.key}` });
  const replace = ctx.header('x-amz-metadata-directive')?.toUpperCase() === 'REPLACE';
  const storageClass = storageClassFrom(ctx.header('x-amz-storage-class'));
  if (source.bucket === bucket && source.key === key && !replace && !storageClass)
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  const sse = objectSse(s3.buckets.get(bucket), (name) => ctx.header(name));
  const opened = await s3.objects.openData(source.bucket, source.key);
  if (!opened) throw s3Errors.noSuchKey(source.key);
  const { meta: from, handle, offset } = opened;
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
  const checksum = copiedChecksum(algorithm, from.checksum, staged);
  const meta = await s3.notifications.objectCreated(ctx, bucket, key, staged, 'ObjectCreated:Copy', () =>
    s3.objects.commit(bucket, key, staged, {
      contentType: replace ? ctx.header('content-type') || DEFAULT_CONTENT_TYPE : from.contentType,
      metadata: replace ? metadataFromHeaders(ctx) : from.metadata,
      headers: replace ? storedHeadersFromRequest(ctx) : from.headers,
      ...(checksum ? { checksum } : {}),
      ...((storageClass ?? from.storageClass) ? { storageClass: storageClass ?? from.storageClass! } : {}),
      ...sse,
    }),
  );
  const headers = writeHeaders(ctx, meta);
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
