import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../lib/file-record.ts';
import { ClientError } from '../lib/http.ts';
import { DEFAULT_LIMIT, mapConcurrent, MAX_LIMIT, newestFirst, newestKeys, parseLimit } from './listing.ts';

function record(key: string, uploadedAt: string): FileRecord {
  return { key, name: key, size: 1, contentType: 'text/plain', etag: 'e', uploadedAt };
}

describe('parseLimit', () => {
  it('defaults to 50 and accepts 1..100', () => {
    expect(parseLimit(undefined)).toBe(DEFAULT_LIMIT);
    expect(parseLimit('')).toBe(DEFAULT_LIMIT);
    expect(parseLimit('1')).toBe(1);
    expect(parseLimit(' 100 ')).toBe(MAX_LIMIT);
  });

  it.each(['0', '101', '-1', '1.5', 'abc', '1e2', '5,6', '0x10', '9999999'])(
    'refuses %j with INVALID_LIMIT',
    (raw) => {
      expect(() => parseLimit(raw)).toThrow(ClientError);
      expect(() => parseLimit(raw)).toThrow(/"limit" must be a whole number from 1 to 100/);
    },
  );
});

describe('newestKeys', () => {
  it('keeps the most recently written .json keys, newest first', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
    const keys = newestKeys(
      [
        { Key: 'metadata/a.json', LastModified: at(1) },
        { Key: 'metadata/b.json', LastModified: at(3) },
        { Key: 'metadata/notes.txt', LastModified: at(9) },
        { LastModified: at(8) },
        { Key: 'metadata/c.json', LastModified: at(2) },
      ],
      2,
    );
    expect(keys).toEqual(['metadata/b.json', 'metadata/c.json']);
  });
});

describe('newestFirst', () => {
  it('sorts by uploadedAt descending, ties by key, and applies the limit', () => {
    const sorted = newestFirst(
      [
        record('old', '2026-01-01T00:00:00.000Z'),
        record('new-b', '2026-03-01T00:00:00.000Z'),
        record('new-a', '2026-03-01T00:00:00.000Z'),
        record('mid', '2026-02-01T00:00:00+01:00'),
      ],
      3,
    );
    expect(sorted.map((r) => r.key)).toEqual(['new-a', 'new-b', 'mid']);
  });
});

describe('mapConcurrent', () => {
  it('keeps the input order and never runs more than the bound at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapConcurrent([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      for (let i = 0; i < n; i++) await Promise.resolve();
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('handles an empty list', async () => {
    expect(await mapConcurrent([], 4, async () => 1)).toEqual([]);
  });
});
