import type { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { VersionEntry } from '../model/version-table.ts';
import { s3Errors } from '../s3-errors.ts';
import { versionErrors } from '../versioning/version-errors.ts';
import { requestedVersion, versionHeader } from '../versioning/version-params.ts';
import { parseObjectTagging } from './object-tags.ts';

/**
 * The version a tagging request addresses, or its error: NoSuchKey (`Key` as given: AWS writes
 * `<bucket>/<key>` for GetObjectTagging, `<key>` for Put/Delete [REC]), NoSuchVersion, or — for
 * a delete marker — what a GET of it answers (UNVERIFIED for tagging).
 */
function taggable(
  entry: VersionEntry | undefined,
  key: string,
  errorKey: string,
  versionId: string | undefined,
  method: string,
): VersionEntry {
  let error: AwsError | undefined;
  if (!entry)
    error =
      versionId === undefined ? s3Errors.noSuchKey(errorKey) : versionErrors.noSuchVersion(key, versionId);
  else if (!entry.meta)
    error =
      versionId === undefined
        ? versionErrors.currentIsDeleteMarker(errorKey, entry.versionId)
        : versionErrors.deleteMarkerMethod(method, entry.versionId);
  if (error) throw error;
  return entry!;
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html — replaces the whole set. */
export async function putObjectTagging(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const versionId = requestedVersion(ctx, s3, bucket);
  const tags = parseObjectTagging(await readCheckedBody(ctx, true));
  const entry = taggable(await s3.objects.putTags(bucket, key, versionId, tags), key, key, versionId, 'PUT');
  ctx.send(200, { ...s3Headers(ctx), ...versionHeader(s3, bucket, entry.versionId) });
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectTagging.html — `TagSet` empty when none. */
export async function getObjectTagging(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const versionId = requestedVersion(ctx, s3, bucket);
  const entry = taggable(
    s3.objects.version(bucket, key, versionId),
    key,
    `${bucket}/${key}`,
    versionId,
    'GET',
  );
  const tags = entry.meta!.tags ?? [];
  sendXml(
    ctx,
    200,
    'Tagging',
    { TagSet: tags.length ? { Tag: tags } : '' },
    versionHeader(s3, bucket, entry.versionId),
  );
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjectTagging.html — 204. */
export async function deleteObjectTagging(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const versionId = requestedVersion(ctx, s3, bucket);
  const entry = taggable(await s3.objects.putTags(bucket, key, versionId, []), key, key, versionId, 'DELETE');
  ctx.send(204, { ...s3Headers(ctx), ...versionHeader(s3, bucket, entry.versionId) });
}
