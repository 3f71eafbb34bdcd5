import { randomUUID } from 'node:crypto';
import { AwsError } from '../../../core/aws-error.ts';
import type { EmulatorEnv } from '../../../core/env.ts';
import { ACCOUNT_ID } from '../../../auth/principal.ts';
import { parseXml } from '../../../protocols/xml.ts';
import type { FilterRule, LambdaNotification, NotificationConfig } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';
import { xmlList, xmlRoot, xmlStructs, xmlText } from '../xml-values.ts';

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html */
const EVENTS = new Set([
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:LifecycleExpiration:*',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:TestEvent',
]);

/**
 * Parses `<NotificationConfiguration>` (XML names: `CloudFunctionConfiguration`,
 * `CloudFunction`, `Event`, `Filter/S3Key/FilterRule`) with S3's validation [§3.1].
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
 */
export function parseNotificationConfiguration(body: Buffer): NotificationConfig {
  const root = xmlRoot(parseXml(body), 'NotificationConfiguration');
  if (root['QueueConfiguration'] !== undefined || root['TopicConfiguration'] !== undefined)
    throw s3Errors.notImplemented('QueueConfiguration/TopicConfiguration (SQS and SNS are not emulated)');
  return {
    lambda: xmlStructs(root['CloudFunctionConfiguration']).map(parseLambdaConfig),
    eventBridge: root['EventBridgeConfiguration'] !== undefined,
  };
}

function parseLambdaConfig(raw: Record<string, unknown>): LambdaNotification {
  const arn = xmlText(raw['CloudFunction']);
  const events = xmlList(raw['Event']);
  if (arn === undefined || events.length === 0) throw s3Errors.malformedXml();
  // [REC test_invalid_lambda_arn] checked even with skip-destination-validation.
  if (!LAMBDA_ARN.test(arn))
    throw s3Errors.invalidArgument('The ARN could not be parsed', 'CloudFunction', arn);
  // The error for an unknown event name is UNVERIFIED.
  for (const event of events)
    if (!EVENTS.has(event))
      throw s3Errors.invalidArgument('The event is not supported for notifications', 'Event', event);
  const filter = raw['Filter'];
  const s3Key =
    typeof filter === 'object' && filter !== null ? (filter as Record<string, unknown>)['S3Key'] : undefined;
  const ruleList =
    typeof s3Key === 'object' && s3Key !== null
      ? (s3Key as Record<string, unknown>)['FilterRule']
      : undefined;
  const rules = xmlStructs(ruleList).map(parseFilterRule);
  for (const name of ['Prefix', 'Suffix'] as const)
    if (rules.filter((r) => r.Name === name).length > 1)
      throw s3Errors.invalidArgument(
        `Cannot specify more than one ${name.toLowerCase()} rule in a filter.`,
        'FilterRule.Name',
        name.toLowerCase(),
      );
  // The format of generated ids is UNVERIFIED.
  return {
    Id: xmlText(raw['Id']) || randomUUID(),
    LambdaFunctionArn: arn,
    Events: events,
    FilterRules: rules,
  };
}

/** [REC test_filter_rules_case_insensitive, _empty_value, invalid/missing rules]. */
function parseFilterRule(raw: Record<string, unknown>): FilterRule {
  const name = xmlText(raw['Name']);
  const value = xmlText(raw['Value']);
  if (name === undefined || value === undefined) throw s3Errors.malformedXml();
  const lower = name.toLowerCase();
  if (lower !== 'prefix' && lower !== 'suffix')
    throw s3Errors.invalidArgument(
      'filter rule name must be either prefix or suffix',
      'FilterRule.Name',
      name,
    );
  return { Name: lower === 'prefix' ? 'Prefix' : 'Suffix', Value: value };
}

/**
 * Destination validation [REC lambda-does-not-exist]: the function must exist and its resource
 * policy must let `s3.amazonaws.com` invoke it for this bucket. Without Lambda in this build
 * every function counts as missing.
 */
export function validateDestinations(env: EmulatorEnv, bucket: string, config: NotificationConfig): void {
  const fields: Record<string, string> = {};
  let n = 0;
  for (const c of config.lambda) {
    const arn = env.lambda?.functionArn(c.LambdaFunctionArn);
    const allowed =
      arn !== undefined &&
      env.lambda!.allowsInvoke(arn, 's3.amazonaws.com', `arn:aws:s3:::${bucket}`, ACCOUNT_ID);
    if (allowed) continue;
    n++;
    fields[`ArgumentName${n}`] = `${c.LambdaFunctionArn}, null`;
    fields[`ArgumentValue${n}`] = `Not authorized to invoke function [${c.LambdaFunctionArn}]`;
  }
  if (n > 0)
    throw new AwsError('InvalidArgument', 'Unable to validate the following destination configurations', {
      status: 400,
      fields,
    });
}

/** The GetBucketNotificationConfiguration document. */
export function notificationXml(config: NotificationConfig | undefined): Record<string, unknown> {
  if (!config) return {};
  return {
    CloudFunctionConfiguration: config.lambda.map((c) => ({
      Id: c.Id,
      CloudFunction: c.LambdaFunctionArn,
      Event: c.Events,
      ...(c.FilterRules.length ? { Filter: { S3Key: { FilterRule: c.FilterRules } } } : {}),
    })),
    ...(config.eventBridge ? { EventBridgeConfiguration: '' } : {}),
  };
}

/** Whether a configuration wants `eventName` (e.g. `ObjectCreated:Post`) for `key`. */
export function wants(config: LambdaNotification, eventName: string, key: string): boolean {
  const [category] = eventName.split(':');
  const evented = config.Events.some((e) => e === `s3:${eventName}` || e === `s3:${category}:*`);
  return (
    evented &&
    config.FilterRules.every((r) => (r.Name === 'Prefix' ? key.startsWith(r.Value) : key.endsWith(r.Value)))
  );
}
