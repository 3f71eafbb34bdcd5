import type { RequestContext } from '../../core/context.ts';
import { logsErrors } from './errors.ts';
import { checkGroupName, checkGroupPattern, type Input } from './input.ts';
import type { LogGroup } from './log-group.ts';
import type { LogsStore } from './store.ts';
import { groupArn, pageToken, readPageToken } from './tokens.ts';

/** The retention periods PutRetentionPolicy accepts (the `Days` shape's documented values). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html */
export async function createLogGroup(ctx: RequestContext, store: LogsStore, input: Input): Promise<unknown> {
  const name = checkGroupName(input.requiredString('logGroupName'));
  await store.create(ctx.region, name, Date.now());
  return {};
}

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html */
export async function deleteLogGroup(ctx: RequestContext, store: LogsStore, input: Input): Promise<unknown> {
  await store.delete(ctx.region, checkGroupName(input.requiredString('logGroupName')));
  return {};
}

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html */
export async function describeLogGroups(
  ctx: RequestContext,
  store: LogsStore,
  input: Input,
): Promise<unknown> {
  const prefix = input.string('logGroupNamePrefix');
  const pattern = input.string('logGroupNamePattern');
  if (prefix !== undefined && pattern !== undefined) throw logsErrors.prefixAndPattern();
  if (prefix !== undefined) checkGroupName(prefix, 'logGroupNamePrefix');
  if (pattern !== undefined) checkGroupPattern(pattern, 'logGroupNamePattern');
  const limit = input.integer('limit', 1, 50) ?? 50;
  const token = input.string('nextToken');
  const after = token === undefined ? undefined : readPageToken(token)['after'];
  if (after !== undefined && typeof after !== 'string') throw logsErrors.badToken();
  // logGroupNamePattern is a case-sensitive substring search.
  const matching = store
    .groups(ctx.region)
    .filter(
      (g) => (prefix === undefined || g.name.startsWith(prefix)) && (!pattern || g.name.includes(pattern)),
    )
    .filter((g) => typeof after !== 'string' || g.name > after);
  const page = matching.slice(0, limit);
  return {
    logGroups: page.map((g) => describeGroup(ctx.region, g)),
    ...(matching.length > limit ? { nextToken: pageToken({ after: page.at(-1)!.name }) } : {}),
  };
}

function describeGroup(region: string, g: LogGroup): Record<string, unknown> {
  return {
    logGroupName: g.name,
    creationTime: g.creationTime,
    ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: `${groupArn(region, g.name)}:*`,
    storedBytes: g.storedBytes,
    logGroupClass: 'STANDARD',
    logGroupArn: groupArn(region, g.name),
    deletionProtectionEnabled: false,
  };
}

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */
export async function putRetentionPolicy(
  ctx: RequestContext,
  store: LogsStore,
  input: Input,
): Promise<unknown> {
  const name = checkGroupName(input.requiredString('logGroupName'));
  const days = input.integer('retentionInDays');
  if (days === undefined) throw logsErrors.validation(null, 'retentionInDays', 'Member must not be null');
  if (!RETENTION_DAYS.includes(days))
    throw logsErrors.validation(
      days,
      'retentionInDays',
      `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  await store.get(ctx.region, name).setRetention(days);
  return {};
}

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteRetentionPolicy.html */
export async function deleteRetentionPolicy(
  ctx: RequestContext,
  store: LogsStore,
  input: Input,
): Promise<unknown> {
  const name = checkGroupName(input.requiredString('logGroupName'));
  await store.get(ctx.region, name).setRetention(undefined);
  return {};
}
