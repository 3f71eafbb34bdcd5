import { authorize } from '../../../auth/authorize.ts';
import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { sendXml } from '../../../protocols/rest-xml.ts';
import { parseXml } from '../../../protocols/xml.ts';
import { s3Authorization } from '../access/bucket-access.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import { s3Errors } from '../s3-errors.ts';
import { versionErrors } from '../versioning/version-errors.ts';
import { checkVersionId } from '../versioning/version-params.ts';
import { xmlBool, xmlRoot, xmlStructs, xmlText } from '../xml-values.ts';

interface Deleted {
  Key: string;
  VersionId?: string;
  DeleteMarker?: boolean;
  DeleteMarkerVersionId?: string;
}

/** One entry of the batch, as DeleteObject (or DeleteObject ?versionId=) would do it [§9.1]. */
async function deleteOne(s3: S3Model, bucket: string, key: string, versionId?: string): Promise<Deleted> {
  if (versionId === undefined) {
    const { marker } = await s3.objects.delete(bucket, key);
    return marker ? { Key: key, DeleteMarker: true, DeleteMarkerVersionId: marker.versionId } : { Key: key };
  }
  const versioned = s3.buckets.get(bucket)?.versioning !== undefined;
  const removed = await s3.objects.deleteVersion(bucket, key, versionId);
  // A never-versioned bucket's `null` entries are deleted whether or not they exist (whether
  // AWS echoes VersionId `null` there is UNVERIFIED: LocalStack does not).
  if (!versioned) return { Key: key };
  if (!removed) throw versionErrors.noSuchVersion(key, versionId);
  return removed.meta
    ? { Key: key, VersionId: versionId }
    : { Key: key, VersionId: versionId, DeleteMarker: true, DeleteMarkerVersionId: versionId };
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html — up to 1000 keys,
 * each authorized on its own (s3:DeleteObject, or s3:DeleteObjectVersion with a VersionId);
 * failures are listed, not thrown. `x-amz-bypass-governance-retention` is accepted (no Object
 * Lock here).
 */
export async function deleteObjects(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  // Keys are exact: `<Key> </Key>` names the object whose key is one space.
  const root = xmlRoot(parseXml(await readCheckedBody(ctx, true), { exact: true }), 'Delete');
  const objects = xmlStructs(root['Object']).map((o) => {
    const key = xmlText(o['Key']);
    if (key === undefined) throw s3Errors.malformedXml();
    const versionId = xmlText(o['VersionId']);
    return { key, ...(versionId !== undefined ? { versionId } : {}) };
  });
  if (objects.length === 0 || objects.length > 1000) throw s3Errors.malformedXml();
  const quiet = xmlBool(root['Quiet']);
  const deleted: Deleted[] = [];
  const errors: Array<{ Key: string; VersionId?: string; Code: string; Message: string }> = [];
  for (const { key, versionId } of objects) {
    try {
      const action = versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion';
      authorize(ctx, s3Authorization(s3, bucket, key, action));
      deleted.push(await deleteOne(s3, bucket, key, checkVersionId(s3, bucket, versionId)));
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      errors.push({
        Key: key,
        ...(versionId !== undefined ? { VersionId: versionId } : {}),
        Code: err.code,
        Message: err.message,
      });
    }
  }
  sendXml(ctx, 200, 'DeleteResult', { ...(quiet ? {} : { Deleted: deleted }), Error: errors });
}
