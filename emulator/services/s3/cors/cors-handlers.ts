import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/aws-error.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import { corsConfigurationXml, parseCorsConfiguration } from './cors-config.ts';

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html */
export async function putBucketCors(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const rules = parseCorsConfiguration(await readCheckedBody(ctx, true));
  await s3.buckets.update(bucket, (record) => {
    record.cors = rules;
  });
  ctx.send(200, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketCors.html */
export async function getBucketCors(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const rules = s3.buckets.get(bucket)?.cors;
  if (!rules)
    throw new AwsError('NoSuchCORSConfiguration', 'The CORS configuration does not exist', {
      status: 404,
      fields: { BucketName: bucket },
    });
  sendXml(ctx, 200, 'CORSConfiguration', corsConfigurationXml(rules));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketCors.html — 204 even when none. */
export async function deleteBucketCors(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  if (s3.buckets.get(bucket)?.cors)
    await s3.buckets.update(bucket, (record) => {
      delete record.cors;
    });
  ctx.send(204, s3Headers(ctx));
}
