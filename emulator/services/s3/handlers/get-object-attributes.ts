import type { RequestContext } from '../../../core/context.ts';
import { sendXml } from '../../../protocols/rest-xml.ts';
import type { S3Model } from '../model/s3-model.ts';
import { s3Errors } from '../s3-errors.ts';
import { requestedVersion, versionHeader } from '../versioning/version-params.ts';
import { missingVersion } from './object-handlers.ts';

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html — the attributes
 * named in `x-amz-object-attributes`; the checksum always (no checksum mode needed, §9.5).
 * `ObjectParts` only exists for multipart uploads, so a single-part object has none. The two
 * refusals' messages are UNVERIFIED (as LocalStack words them).
 */
export async function getObjectAttributes(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const asked = (ctx.header('x-amz-object-attributes') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (!asked.length)
    throw s3Errors.invalidArgument(
      'The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty',
      'x-amz-object-attributes',
    );
  const unknown = asked.find((a) => !ATTRIBUTES.has(a));
  if (unknown !== undefined)
    throw s3Errors.invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', unknown);
  // `?versionId=` names a version, as for GetObject; the answer says which one it read.
  const versionId = requestedVersion(ctx, s3, bucket);
  const meta =
    versionId === undefined ? s3.objects.head(bucket, key) : s3.objects.version(bucket, key, versionId)?.meta;
  if (!meta) throw missingVersion(s3, bucket, key, versionId, ctx.method);
  const want = new Set(asked);
  sendXml(
    ctx,
    200,
    'GetObjectAttributesResponse',
    {
      ...(want.has('ETag') ? { ETag: meta.etag } : {}),
      ...(want.has('Checksum') && meta.checksum
        ? {
            Checksum: {
              [`Checksum${meta.checksum.algorithm}`]: meta.checksum.value,
              ChecksumType: 'FULL_OBJECT',
            },
          }
        : {}),
      ...(want.has('StorageClass') ? { StorageClass: meta.storageClass ?? 'STANDARD' } : {}),
      ...(want.has('ObjectSize') ? { ObjectSize: meta.size } : {}),
    },
    {
      'Last-Modified': new Date(meta.lastModified).toUTCString(),
      ...versionHeader(s3, bucket, meta.versionId),
    },
  );
}
