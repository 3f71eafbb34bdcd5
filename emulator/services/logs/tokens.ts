import { ACCOUNT_ID } from '../../auth/principal.ts';
import { logsErrors } from './errors.ts';
import type { StoredEvent } from './log-group.ts';

/** Where an event sits in a stream's order: timestamp, then arrival. */
export interface EventKey {
  timestamp: number;
  seq: number;
}

export const compareKeys = (a: EventKey, b: EventKey): number => a.timestamp - b.timestamp || a.seq - b.seq;

/** Before every real event (a timestamp of 0 is 14 days too old to be stored). */
export const START: EventKey = { timestamp: 0, seq: 0 };

/**
 * 56 digits, as AWS's event ids and GetLogEvents tokens are: here the timestamp (20) and the
 * event's place in its group (36). UNVERIFIED: what AWS encodes in those digits.
 */
export const keyDigits = (k: EventKey): string =>
  `${String(k.timestamp).padStart(20, '0')}${String(k.seq).padStart(36, '0')}`;

export const eventId = (e: StoredEvent): string => keyDigits(e);

/** `f/<56 digits>/s` and `b/<56 digits>/s`, the GetLogEvents tokens. */
export const streamToken = (direction: 'f' | 'b', k: EventKey): string => `${direction}/${keyDigits(k)}/s`;

export function parseStreamToken(token: string): { direction: 'f' | 'b'; key: EventKey } {
  const m = /^([fb])\/(\d{20})(\d{36})\/s$/.exec(token);
  if (!m) throw logsErrors.badToken();
  return { direction: m[1] as 'f' | 'b', key: { timestamp: Number(m[2]), seq: Number(m[3]) } };
}

/** An opaque paging token (base64 JSON), as the describe and filter operations hand out. */
export function pageToken(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

export function readPageToken(token: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw logsErrors.badToken();
}

export const groupArn = (region: string, name: string): string =>
  `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${name}`;

export const streamArn = (region: string, group: string, stream: string): string =>
  `${groupArn(region, group)}:log-stream:${stream}`;
