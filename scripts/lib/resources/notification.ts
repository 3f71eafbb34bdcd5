import {
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  type Event,
  type LambdaFunctionConfiguration,
} from '@aws-sdk/client-s3';
import { change, type Change, type RunContext } from '../context.ts';
import { UPLOAD_PREFIX } from '../names.ts';
import { requireFunctionArn } from './require.ts';

const EVENTS: Event[] = ['s3:ObjectCreated:*'];

function matches(config: LambdaFunctionConfiguration, arn: string): boolean {
  const rules = config.Filter?.Key?.FilterRules ?? [];
  return (
    config.LambdaFunctionArn === arn &&
    JSON.stringify(config.Events ?? []) === JSON.stringify(EVENTS) &&
    rules.length === 1 &&
    rules[0]?.Name?.toLowerCase() === 'prefix' &&
    rules[0].Value === UPLOAD_PREFIX
  );
}

/**
 * ObjectCreated:* under `incoming/` → file-metadata. Other notification targets on the bucket
 * are kept; only this lab's entry is written.
 */
export async function ensureNotification(ctx: RunContext): Promise<Change> {
  const arn = await requireFunctionArn(ctx, 'fileMetadata');
  const Bucket = ctx.names.bucket;
  const id = ctx.names.notificationId;
  const current = await ctx.clients.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
  const lambdas = current.LambdaFunctionConfigurations ?? [];
  const ours = lambdas.filter((c) => c.Id === id || c.LambdaFunctionArn === arn);
  if (ours.length === 1 && ours[0] && matches(ours[0], arn)) {
    return change('bucket-notification', `${Bucket} → ${ctx.names.functions.fileMetadata}`, 'unchanged');
  }
  const wanted: LambdaFunctionConfiguration = {
    Id: id,
    LambdaFunctionArn: arn,
    Events: EVENTS,
    Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: UPLOAD_PREFIX }] } },
  };
  await ctx.clients.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: {
        ...(current.TopicConfigurations ? { TopicConfigurations: current.TopicConfigurations } : {}),
        ...(current.QueueConfigurations ? { QueueConfigurations: current.QueueConfigurations } : {}),
        ...(current.EventBridgeConfiguration
          ? { EventBridgeConfiguration: current.EventBridgeConfiguration }
          : {}),
        LambdaFunctionConfigurations: [...lambdas.filter((c) => !ours.includes(c)), wanted],
      },
    }),
  );
  return change(
    'bucket-notification',
    `${Bucket} → ${ctx.names.functions.fileMetadata}`,
    ours.length ? 'updated' : 'created',
  );
}
