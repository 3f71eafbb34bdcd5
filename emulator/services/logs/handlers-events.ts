import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../core/context.ts';
import { logsErrors } from './errors.ts';
import { checkGroupName, checkStreamName, groupOf, type Input } from './input.ts';
import type { StoredEvent } from './log-group.ts';
import type { LogsStore } from './store.ts';
import { compareKeys, parseStreamToken, START, streamToken, type EventKey } from './tokens.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** PutLogEvents' batch limit: the messages' UTF-8 bytes plus 26 bytes per event. */
export const MAX_BATCH_BYTES = 1_048_576;
/** A response carries at most 1 MB of events, as GetLogEvents and FilterLogEvents do. */
export const MAX_RESPONSE_BYTES = 1_048_576;

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html */
export async function putLogEvents(ctx: RequestContext, store: LogsStore, input: Input): Promise<unknown> {
  const groupName = checkGroupName(input.requiredString('logGroupName'));
  const streamName = checkStreamName(input.requiredString('logStreamName'));
  const raw = input.list('logEvents');
  if (raw === undefined) throw logsErrors.validation(null, 'logEvents', 'Member must not be null');
  if (raw.length < 1)
    throw logsErrors.validation('[]', 'logEvents', 'Member must have length greater than or equal to 1');
  if (raw.length > 10_000)
    throw logsErrors.validation(
      `[${raw.length} events]`,
      'logEvents',
      'Member must have length less than or equal to 10000',
    );
  const events = raw.map((e, i) => readEvent(e, i + 1));
  const bytes = events.reduce((n, [, m]) => n + Buffer.byteLength(m, 'utf8') + 26, 0);
  if (bytes > MAX_BATCH_BYTES) throw logsErrors.batchTooLarge(bytes);
  for (let i = 1; i < events.length; i++)
    if (events[i]![0] < events[i - 1]![0]) throw logsErrors.notChronological();
  if (events.at(-1)![0] - events[0]![0] > DAY) throw logsErrors.spanTooLong();

  const group = store.get(ctx.region, groupName);
  if (!group.streams.has(streamName)) throw logsErrors.streamNotFound();
  const { accepted, rejected } = triage(events, Date.now(), group.cutoff(Date.now()));
  if (accepted.length) await group.putEvents(streamName, accepted, Date.now());
  return {
    // UNVERIFIED: AWS still answers a token (ignored since 2023); its digits here are random.
    nextSequenceToken: BigInt(`0x${randomBytes(22).toString('hex')}`)
      .toString()
      .padStart(56, '0')
      .slice(0, 56),
    ...(Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {}),
  };
}

function readEvent(value: unknown, n: number): [number, string] {
  if (typeof value !== 'object' || value === null) throw logsErrors.serialization(`logEvents.${n}`);
  const { timestamp, message } = value as Record<string, unknown>;
  const member = (m: string) => `logEvents.${n}.member.${m}`;
  if (timestamp === undefined || timestamp === null)
    throw logsErrors.validation(null, member('timestamp'), 'Member must not be null');
  if (message === undefined || message === null)
    throw logsErrors.validation(null, member('message'), 'Member must not be null');
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp))
    throw logsErrors.serialization(member('timestamp'));
  if (typeof message !== 'string') throw logsErrors.serialization(member('message'));
  if (timestamp < 0)
    throw logsErrors.validation(
      timestamp,
      member('timestamp'),
      'Member must have value greater than or equal to 0',
    );
  if (message.length < 1)
    throw logsErrors.validation(
      message,
      member('message'),
      'Member must have length greater than or equal to 1',
    );
  return [timestamp, message];
}

/**
 * Events more than 2 hours ahead, more than 14 days old, or past the group's retention are
 * refused one by one: the batch is chronological, so those are a head and a tail of it.
 */
function triage(events: Array<[number, string]>, now: number, cutoff: number) {
  const rejected: Record<string, number> = {};
  let tooOldEnd = -1;
  let expiredEnd = -1;
  let tooNewStart = events.length;
  events.forEach(([t], i) => {
    if (t < now - 14 * DAY) tooOldEnd = i;
    if (t < cutoff) expiredEnd = i;
    if (t > now + 2 * HOUR && tooNewStart === events.length) tooNewStart = i;
  });
  if (tooNewStart < events.length) rejected['tooNewLogEventStartIndex'] = tooNewStart;
  if (tooOldEnd >= 0) rejected['tooOldLogEventEndIndex'] = tooOldEnd;
  if (expiredEnd >= 0) rejected['expiredLogEventEndIndex'] = expiredEnd;
  const from = Math.max(tooOldEnd, expiredEnd) + 1;
  return { accepted: events.slice(from, Math.max(from, tooNewStart)), rejected };
}

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html */
export async function getLogEvents(ctx: RequestContext, store: LogsStore, input: Input): Promise<unknown> {
  const groupName = groupOf(input)!;
  const streamName = checkStreamName(input.requiredString('logStreamName'));
  const startTime = input.integer('startTime', 0);
  const endTime = input.integer('endTime', 0);
  const limit = input.integer('limit', 1, 10_000) ?? 10_000;
  const token = input.string('nextToken');
  const parsed = token === undefined ? undefined : parseStreamToken(token);
  const group = store.get(ctx.region, groupName);
  const stream = group.streams.get(streamName);
  if (!stream) throw logsErrors.streamNotFound();
  const cutoff = Math.max(group.cutoff(Date.now()), startTime ?? -Infinity);
  // startTime is inclusive, endTime exclusive.
  const window = stream.events.filter(
    (e) => e.timestamp >= cutoff && (endTime === undefined || e.timestamp < endTime),
  );
  const forward = parsed ? parsed.direction === 'f' : input.boolean('startFromHead') === true;
  let page: StoredEvent[];
  if (forward) {
    const after = parsed?.key ?? START;
    page = takeBytes(window.filter((e) => compareKeys(e, after) > 0).slice(0, limit), 'head');
  } else {
    const before = parsed?.key;
    const older = before ? window.filter((e) => compareKeys(e, before) < 0) : window;
    page = takeBytes(older.slice(Math.max(0, older.length - limit)), 'tail');
  }
  const first: EventKey = page[0] ?? parsed?.key ?? START;
  const last: EventKey = page.at(-1) ?? parsed?.key ?? START;
  return {
    events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: streamToken('f', last),
    nextBackwardToken: streamToken('b', first),
  };
}

/** At most MAX_RESPONSE_BYTES of messages, kept from the head or the tail of the page. */
export function takeBytes(events: StoredEvent[], keep: 'head' | 'tail'): StoredEvent[] {
  let bytes = 0;
  const ordered = keep === 'head' ? events : [...events].reverse();
  let n = 0;
  for (const e of ordered) {
    bytes += Buffer.byteLength(e.message, 'utf8') + 26;
    if (bytes > MAX_RESPONSE_BYTES && n > 0) break;
    n++;
  }
  return keep === 'head' ? events.slice(0, n) : events.slice(events.length - n);
}
