import type { RequestContext } from '../../../core/context.ts';
import { s3Headers } from '../../../protocols/rest-xml.ts';
import { toXml } from '../../../protocols/xml.ts';
import { sseHeaders } from '../encryption/sse.ts';
import type { ObjectMeta } from '../model/types.ts';
import { objectUrl } from '../target.ts';

/** An absolute http(s) URL, or undefined (S3 ignores a redirect it cannot interpret [REC-assert]). */
function absoluteUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The success answers of POST Object [§2.5]: 303 to `success_action_redirect` (alias
 * `redirect`) with bucket, key and etag appended; `success_action_status` 200 (empty) or 201
 * (`<PostResponse>`); 204 otherwise, without Content-Type.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
 */
export function sendPostSuccess(
  ctx: RequestContext,
  bucket: string,
  meta: ObjectMeta,
  fields: Map<string, string>,
): void {
  const etag = `"${meta.etag}"`;
  const location = objectUrl(ctx, bucket, meta.key);
  const headers = {
    ...s3Headers(ctx),
    ETag: etag,
    Location: location,
    ...sseHeaders(meta),
    // The checksum S3 stored, its default CRC64NVME when none was sent [REC-assert test_post_object_default_checksum].
    ...(meta.checksum
      ? {
          [`x-amz-checksum-${meta.checksum.algorithm.toLowerCase()}`]: meta.checksum.value,
          'x-amz-checksum-type': 'FULL_OBJECT',
        }
      : {}),
    // UNVERIFIED for POST: the version id as PutObject answers it (only a real id).
    ...(meta.versionId && meta.versionId !== 'null' ? { 'x-amz-version-id': meta.versionId } : {}),
  };
  const redirect = absoluteUrl(fields.get('success_action_redirect') ?? fields.get('redirect'));
  if (redirect) {
    redirect.searchParams.append('bucket', bucket);
    redirect.searchParams.append('key', meta.key);
    redirect.searchParams.append('etag', etag);
    ctx.send(303, { ...headers, Location: redirect.toString() });
    return;
  }
  const status = fields.get('success_action_status');
  if (status === '200') ctx.send(200, headers);
  else if (status === '201') {
    // Whether AWS puts an xmlns on PostResponse is UNVERIFIED; its documented example has none.
    const body = toXml('PostResponse', { Location: location, Bucket: bucket, Key: meta.key, ETag: etag });
    ctx.send(201, { ...headers, 'Content-Type': 'application/xml' }, body);
  } else ctx.send(204, headers);
}
