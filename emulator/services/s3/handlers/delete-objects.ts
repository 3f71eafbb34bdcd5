import { authorize } from '../../../auth/authorize.ts';
import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { sendXml } from '../../../protocols/rest-xml.ts';
import { parseXml } from '../../../protocols/xml.ts';
import { s3Authorization } from '../access/bucket-access.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import { s3Errors } from '../s3-errors.ts';
import { xmlBool, xmlRoot, xmlStructs, xmlText } from '../xml-values.ts';

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html — up to 1000 keys,
 * each authorized for s3:DeleteObject on its own; failures are listed, not thrown.
 */
export async function deleteObjects(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const root = xmlRoot(parseXml(await readCheckedBody(ctx, true)), 'Delete');
  const keys = xmlStructs(root['Object']).map((o) => {
    const key = xmlText(o['Key']);
    if (key === undefined) throw s3Errors.malformedXml();
    return key;
  });
  if (keys.length === 0 || keys.length > 1000) throw s3Errors.malformedXml();
  const quiet = xmlBool(root['Quiet']);
  const deleted: Array<{ Key: string }> = [];
  const errors: Array<{ Key: string; Code: string; Message: string }> = [];
  for (const key of keys) {
    try {
      authorize(ctx, s3Authorization(s3, bucket, key, 's3:DeleteObject'));
      await s3.objects.delete(bucket, key);
      deleted.push({ Key: key });
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      errors.push({ Key: key, Code: err.code, Message: err.message });
    }
  }
  sendXml(ctx, 200, 'DeleteResult', { ...(quiet ? {} : { Deleted: deleted }), Error: errors });
}
