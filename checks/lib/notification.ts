import {
  GetBucketNotificationConfigurationCommand,
  type LambdaFunctionConfiguration,
} from '@aws-sdk/client-s3';
import type { CheckContext } from '../context.ts';
import { functionNameFrom, globMatch } from './arn.ts';

export interface NotificationVerdict {
  configs: LambdaFunctionConfiguration[];
  /** Why no notification would fire for a browser upload of `key`; undefined when one would. */
  problem?:
    { kind: 'none' } | { kind: 'put-only'; events: string[] } | { kind: 'wrong-prefix'; prefix: string };
}

/** Whether an S3 event name pattern (`s3:ObjectCreated:*`) covers `event` (`s3:ObjectCreated:Post`). */
export function eventMatches(pattern: string, event: string): boolean {
  return globMatch(pattern, event);
}

function filterValue(c: LambdaFunctionConfiguration | undefined, name: string): string {
  const rule = c?.Filter?.Key?.FilterRules?.find((r) => (r.Name ?? '').toLowerCase() === name);
  return rule?.Value ?? '';
}

/** Would S3 notify the metadata function when a browser POST creates `key`? */
export async function judgeNotification(ctx: CheckContext, key: string): Promise<NotificationVerdict> {
  const out = await ctx.aws.s3.send(
    new GetBucketNotificationConfigurationCommand({ Bucket: ctx.target.bucket }),
  );
  const configs = (out.LambdaFunctionConfigurations ?? []).filter(
    (c) => functionNameFrom(c.LambdaFunctionArn ?? '') === ctx.target.functions.fileMetadata,
  );
  if (configs.length === 0) return { configs, problem: { kind: 'none' } };
  const forPost = configs.filter((c) =>
    (c.Events ?? []).some((e) => eventMatches(e, 's3:ObjectCreated:Post')),
  );
  if (forPost.length === 0)
    return { configs, problem: { kind: 'put-only', events: configs.flatMap((c) => c.Events ?? []) } };
  const matching = forPost.filter(
    (c) => key.startsWith(filterValue(c, 'prefix')) && key.endsWith(filterValue(c, 'suffix')),
  );
  if (matching.length === 0)
    return { configs, problem: { kind: 'wrong-prefix', prefix: filterValue(forPost[0], 'prefix') } };
  return { configs };
}
