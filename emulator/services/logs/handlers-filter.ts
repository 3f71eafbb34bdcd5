import type { RequestContext } from '../../core/context.ts';
import { logsErrors } from './errors.ts';
import { compileFilterPattern } from './filter-pattern.ts';
import { groupOf, type Input } from './input.ts';
import type { StoredEvent } from './log-group.ts';
import type { LogsStore } from './store.ts';
import { takeBytes } from './handlers-events.ts';
import { compareKeys, eventId, pageToken, readPageToken, type EventKey } from './tokens.ts';

/**
 * Events of a group's streams in time order (interleaved: `interleaved` is deprecated and always
 * so), matching `filterPattern`, between `startTime` and `endTime` (both inclusive).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
 */
export async function filterLogEvents(ctx: RequestContext, store: LogsStore, input: Input): Promise<unknown> {
  const groupName = groupOf(input)!;
  const names = input.stringList('logStreamNames');
  const prefix = input.string('logStreamNamePrefix');
  if (names !== undefined && prefix !== undefined) throw logsErrors.namesAndPrefix();
  if (names !== undefined && (names.length < 1 || names.length > 100))
    throw logsErrors.validation(
      `[${names.join(', ')}]`,
      'logStreamNames',
      names.length < 1
        ? 'Member must have length greater than or equal to 1'
        : 'Member must have length less than or equal to 100',
    );
  const startTime = input.integer('startTime', 0);
  const endTime = input.integer('endTime', 0);
  const limit = input.integer('limit', 1, 10_000) ?? 10_000;
  const pattern = input.string('filterPattern');
  if (pattern !== undefined && pattern.length > 1024)
    throw logsErrors.validation(
      pattern,
      'filterPattern',
      'Member must have length less than or equal to 1024',
    );
  input.boolean('interleaved');
  const token = input.string('nextToken');
  const after = token === undefined ? undefined : readAfter(token);
  const matches = compileFilterPattern(pattern);

  const group = store.get(ctx.region, groupName);
  const from = Math.max(group.cutoff(Date.now()), startTime ?? -Infinity);
  const found: Array<StoredEvent & { stream: string }> = [];
  for (const stream of group.streams.values()) {
    if (names !== undefined && !names.includes(stream.name)) continue;
    if (prefix !== undefined && !stream.name.startsWith(prefix)) continue;
    for (const e of stream.events) {
      if (e.timestamp < from || (endTime !== undefined && e.timestamp > endTime)) continue;
      if (after && compareKeys(e, after) <= 0) continue;
      if (matches(e.message)) found.push({ ...e, stream: stream.name });
    }
  }
  found.sort(compareKeys);
  const page = takeBytes(found.slice(0, limit), 'head') as typeof found;
  const more = page.length < found.length;
  return {
    events: page.map((e) => ({
      logStreamName: e.stream,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: eventId(e),
    })),
    // Deprecated since 2020: AWS answers an empty list.
    searchedLogStreams: [],
    ...(more ? { nextToken: pageToken({ t: page.at(-1)!.timestamp, s: page.at(-1)!.seq }) } : {}),
  };
}

function readAfter(token: string): EventKey {
  const { t, s } = readPageToken(token);
  if (typeof t !== 'number' || typeof s !== 'number') throw logsErrors.badToken();
  return { timestamp: t, seq: s };
}
