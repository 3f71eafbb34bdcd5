import type { RequestContext } from '../../../core/context.ts';
import type { S3Model } from '../model/s3-model.ts';
import { isVersionId, NULL_VERSION } from '../model/version-table.ts';
import { versionErrors } from './version-errors.ts';

/**
 * The request's `versionId` (undefined when absent). A malformed id, or any id but `null` on a
 * never-versioned bucket, is InvalidArgument [§9.1].
 */
export function requestedVersion(ctx: RequestContext, s3: S3Model, bucket: string): string | undefined {
  return checkVersionId(s3, bucket, ctx.query.get('versionId'));
}

export function checkVersionId(
  s3: S3Model,
  bucket: string,
  versionId: string | undefined,
): string | undefined {
  if (versionId === undefined) return undefined;
  const versioned = s3.buckets.get(bucket)?.versioning !== undefined;
  if (!isVersionId(versionId) || (!versioned && versionId !== NULL_VERSION))
    throw versionErrors.invalidVersionId(versionId);
  return versionId;
}

/** `x-amz-version-id` for a bucket that has ever been versioned (`null` included) [§9.1]. */
export function versionHeader(
  s3: S3Model,
  bucket: string,
  versionId: string | undefined,
): Record<string, string> {
  return s3.buckets.get(bucket)?.versioning ? { 'x-amz-version-id': versionId ?? NULL_VERSION } : {};
}

/** `x-amz-version-id` on a write: only a real id (Enabled); a `null` write answers none [§9.1]. */
export function writtenVersionHeader(versionId: string | undefined): Record<string, string> {
  return versionId && versionId !== NULL_VERSION ? { 'x-amz-version-id': versionId } : {};
}
