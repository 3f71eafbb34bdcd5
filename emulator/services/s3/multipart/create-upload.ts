import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { sendXml } from '../../../protocols/rest-xml.ts';
import {
  checkKey,
  DEFAULT_CONTENT_TYPE,
  objectAclOfRequest,
  storageClassFrom,
} from '../handlers/object-handlers.ts';
import { metadataFromHeaders, storedHeadersFromRequest } from '../handlers/object-headers.ts';
import { OWNER, type S3Model } from '../model/s3-model.ts';
import type { Tag } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';
import { createChecksum } from './multipart-checksums.ts';
import type { UploadRecord } from './upload-records.ts';

/** S3 upload ids are opaque URL-safe strings; ours are random (and safe as folder names). */
const newUploadId = (): string => randomBytes(42).toString('base64url');

/**
 * `x-amz-tagging: k1=v1&k2=v2` (URL query form). UNVERIFIED: limits beyond 10 tags and unique
 * keys, which follow PutObjectTagging's rules.
 */
function tagsFromHeader(value: string | undefined): Tag[] | undefined {
  if (value === undefined) return undefined;
  const tags = [...new URLSearchParams(value)].map(([Key, Value]) => ({ Key, Value }));
  if (new Set(tags.map((t) => t.Key)).size !== tags.length)
    throw s3Errors.invalidArgument(
      "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
      'x-amz-tagging',
      value,
    );
  if (tags.length > 10)
    throw new AwsError('BadRequest', 'Object tags cannot be greater than 10', { status: 400 });
  return tags;
}

/** Who started the upload, as ListParts and ListMultipartUploads show it (format for roles UNVERIFIED). */
export function initiatorOf(ctx: RequestContext): UploadRecord['initiator'] {
  const p = ctx.principal;
  return p.type === 'role-session' ? { id: `${p.userId}` } : { id: OWNER.ID };
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html — the content
 * type, metadata, system headers, storage class and tags given here become the final object's.
 */
export async function createMultipartUpload(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  checkKey(key);
  const checksum = createChecksum(ctx.header('x-amz-checksum-algorithm'), ctx.header('x-amz-checksum-type'));
  const storageClass = storageClassFrom(ctx.header('x-amz-storage-class'));
  const tags = tagsFromHeader(ctx.header('x-amz-tagging'));
  // The ACL is refused here, as for PutObject, when Object Ownership or Block Public Access forbids it (§8.3).
  const acl = objectAclOfRequest(ctx, s3, bucket, key);
  const record: UploadRecord = {
    uploadId: newUploadId(),
    bucket,
    key,
    initiated: new Date().toISOString(),
    initiator: initiatorOf(ctx),
    contentType: ctx.header('content-type') || DEFAULT_CONTENT_TYPE,
    metadata: metadataFromHeaders(ctx),
    headers: storedHeadersFromRequest(ctx),
    ...(storageClass ? { storageClass } : {}),
    ...(tags?.length ? { tags } : {}),
    ...(checksum ? { checksum } : {}),
    ...(acl ? { acl } : {}),
  };
  await s3.uploads.create(record);
  sendXml(
    ctx,
    200,
    'InitiateMultipartUploadResult',
    { Bucket: bucket, Key: key, UploadId: record.uploadId },
    {
      'x-amz-server-side-encryption': 'AES256',
      ...(checksum
        ? { 'x-amz-checksum-algorithm': checksum.algorithm, 'x-amz-checksum-type': checksum.type }
        : {}),
    },
  );
}
