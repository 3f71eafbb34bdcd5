import type { RequestContext } from '../../core/context.ts';
import { logsErrors } from './errors.ts';
import { checkGroupName, checkStreamName, groupOf, type Input } from './input.ts';
import type { LogStream } from './log-group.ts';
import { compare, type LogsStore } from './store.ts';
import { pageToken, readPageToken, streamArn } from './tokens.ts';

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html */
export async function createLogStream(ctx: RequestContext, store: LogsStore, input: Input): Promise<unknown> {
  const group = checkGroupName(input.requiredString('logGroupName'));
  const stream = checkStreamName(input.requiredString('logStreamName'));
  await store.get(ctx.region, group).createStream(stream, Date.now());
  return {};
}

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html */
export async function describeLogStreams(
  ctx: RequestContext,
  store: LogsStore,
  input: Input,
): Promise<unknown> {
  const name = groupOf(input)!;
  const prefix = input.string('logStreamNamePrefix');
  const orderBy = input.string('orderBy') ?? 'LogStreamName';
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime')
    throw logsErrors.validation(
      orderBy,
      'orderBy',
      'Member must satisfy enum value set: [LogStreamName, LastEventTime]',
    );
  if (prefix !== undefined && orderBy === 'LastEventTime') throw logsErrors.orderWithPrefix();
  const descending = input.boolean('descending') ?? false;
  const limit = input.integer('limit', 1, 50) ?? 50;
  const token = input.string('nextToken');
  const offset = token === undefined ? 0 : readPageToken(token)['offset'];
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw logsErrors.badToken();
  const group = store.get(ctx.region, name);
  const cutoff = group.cutoff(Date.now());
  const streams = [...group.streams.values()].filter(
    (s) => prefix === undefined || s.name.startsWith(prefix),
  );
  const last = (s: LogStream) => s.events.at(-1)?.timestamp ?? 0;
  streams.sort(
    orderBy === 'LastEventTime'
      ? (a, b) => last(a) - last(b) || compare(a.name, b.name)
      : (a, b) => compare(a.name, b.name),
  );
  if (descending) streams.reverse();
  const page = streams.slice(offset, offset + limit);
  return {
    logStreams: page.map((s) => describeStream(ctx.region, name, s, cutoff)),
    ...(offset + limit < streams.length ? { nextToken: pageToken({ offset: offset + limit }) } : {}),
  };
}

function describeStream(
  region: string,
  group: string,
  s: LogStream,
  cutoff: number,
): Record<string, unknown> {
  const live = s.events.filter((e) => e.timestamp >= cutoff);
  return {
    logStreamName: s.name,
    creationTime: s.creationTime,
    ...(live.length
      ? {
          firstEventTimestamp: live[0]!.timestamp,
          lastEventTimestamp: live.at(-1)!.timestamp,
          lastIngestionTime: s.lastIngestionTime,
        }
      : {}),
    arn: streamArn(region, group, s.name),
    // Deprecated for streams since 2019: AWS reports 0.
    storedBytes: 0,
  };
}
