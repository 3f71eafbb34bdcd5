import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import {
  notificationXml,
  parseNotificationConfiguration,
  validateDestinations,
} from './notification-config.ts';

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html */
export async function putBucketNotificationConfiguration(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
): Promise<void> {
  const config = parseNotificationConfiguration(await readCheckedBody(ctx));
  if (ctx.header('x-amz-skip-destination-validation') !== 'true')
    validateDestinations(s3.env, bucket, config);
  await s3.buckets.update(bucket, (record) => {
    if (config.lambda.length || config.eventBridge) record.notification = config;
    else delete record.notification;
  });
  ctx.send(200, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html */
export async function getBucketNotificationConfiguration(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
): Promise<void> {
  sendXml(ctx, 200, 'NotificationConfiguration', notificationXml(s3.buckets.get(bucket)?.notification));
}
