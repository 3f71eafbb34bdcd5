import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { parseXml } from '../../../protocols/xml.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import { s3Errors } from '../s3-errors.ts';
import { xmlRoot, xmlText } from '../xml-values.ts';
import { versionErrors } from './version-errors.ts';

const STATUSES = new Set(['Enabled', 'Suspended']);
const MFA_DELETE = new Set(['Enabled', 'Disabled']);

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html — `Enabled` or
 * `Suspended` (case-sensitive), applied at once [§9.1, §11.3]. MFA delete cannot be turned on:
 * the local AWS has no MFA devices to authenticate the request with.
 */
export async function putBucketVersioning(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const root = xmlRoot(parseXml(await readCheckedBody(ctx)), 'VersioningConfiguration');
  const status = xmlText(root['Status']);
  const mfaDelete = xmlText(root['MfaDelete']);
  if (
    (status !== undefined && !STATUSES.has(status)) ||
    (mfaDelete !== undefined && !MFA_DELETE.has(mfaDelete))
  )
    throw s3Errors.malformedXml();
  const mfa = ctx.header('x-amz-mfa');
  if (mfa !== undefined && !/^\S+ \S+$/.test(mfa)) throw versionErrors.invalidMfaHeader(mfa);
  // UNVERIFIED: `MfaDelete: Disabled` is accepted without MFA; with an x-amz-mfa header, `Enabled`
  // is refused like without one (there is no device to check the code against).
  if (mfaDelete === 'Enabled') throw versionErrors.mfaRequired();
  if (status === undefined) throw versionErrors.noVersioningElement();
  await s3.buckets.update(bucket, (record) => {
    record.versioning = status as 'Enabled' | 'Suspended';
  });
  ctx.send(200, s3Headers(ctx));
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html — a
 * never-versioned bucket answers an empty configuration [§9.1; its raw form UNVERIFIED].
 */
export async function getBucketVersioning(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const status = s3.buckets.get(bucket)?.versioning;
  sendXml(ctx, 200, 'VersioningConfiguration', status ? { Status: status } : {});
}
