import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../lib/file-record.ts';
import { ClientError } from '../lib/http.ts';
import {
  candidates,
  DEFAULT_LIMIT,
  LIST_SKEW_MS,
  mapConcurrent,
  MAX_LIMIT,
  newestFirst,
  parseLimit,
  readNewest,
} from './listing.ts';

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

describe('candidates', () => {
  it('keeps the most recently written .json keys, newest first', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
    const files = candidates(
      [
        { Key: 'metadata/a.json', LastModified: at(1) },
        { Key: 'metadata/b.json', LastModified: at(3) },
        { Key: 'metadata/notes.txt', LastModified: at(9) },
        { LastModified: at(8) },
        { Key: 'metadata/c.json', LastModified: at(2) },
      ],
      2,
    );
    expect(files).toEqual([
      { key: 'metadata/b.json', writtenAt: at(3).valueOf() },
      { key: 'metadata/c.json', writtenAt: at(2).valueOf() },
    ]);
  });

  it('puts a file without LastModified first: nothing proves it older', () => {
    const files = candidates([
      { Key: 'metadata/a.json', LastModified: new Date(0) },
      { Key: 'metadata/b.json' },
    ]);
    expect(files.map((f) => f.key)).toEqual(['metadata/b.json', 'metadata/a.json']);
  });
});

describe('readNewest', () => {
  const t0 = Date.UTC(2026, 0, 1);
  // 200 uploads a second apart; each record is written 300 ms after its upload.
  const uploads = Array.from({ length: 200 }, (_, i) =>
    record(`k${i}`, new Date(t0 + i * 1000).toISOString()),
  );
  const files = candidates(
    uploads.map((r) => ({
      Key: `metadata/${r.key}.json`,
      LastModified: new Date(Date.parse(r.uploadedAt) + 300),
    })),
  );
  const reader = (records: readonly FileRecord[]) => {
    const byKey = new Map(records.map((r) => [`metadata/${r.key}.json`, r]));
    const reads: string[] = [];
    const read = async (key: string) => {
      reads.push(key);
      return byKey.get(key);
    };
    return { reads, read };
  };

  it('answers the newest records while reading only about `limit` files', async () => {
    const { reads, read } = reader(uploads);
    const kept = await readNewest(files, 5, 4, read);
    expect(kept.map((r) => r.key)).toEqual(['k199', 'k198', 'k197', 'k196', 'k195']);
    expect(reads.length).toBeLessThanOrEqual(12);
  });

  it('gives the same answer as reading every file', async () => {
    const all = newestFirst(uploads, 7);
    const { read } = reader(uploads);
    expect(await readNewest(files, 7, 3, read)).toEqual(all);
  });

  it('reads on while an unread file may hold a newer record, within the listing skew', async () => {
    // y was listed 2 s before x, but its record may still be up to LIST_SKEW_MS later than that.
    const x = record('x', new Date(t0 + 4700).toISOString());
    const y = record('y', new Date(t0 + 3000 + LIST_SKEW_MS - 1).toISOString());
    const listed = candidates([
      { Key: 'metadata/x.json', LastModified: new Date(t0 + 5000) },
      { Key: 'metadata/y.json', LastModified: new Date(t0 + 3000) },
    ]);
    const { reads, read } = reader([x, y]);
    expect((await readNewest(listed, 1, 1, read)).map((r) => r.key)).toEqual(['y']);
    expect(reads).toEqual(['metadata/x.json', 'metadata/y.json']);
  });

  it('skips unreadable records and reads on to fill the limit', async () => {
    const { reads, read } = reader(uploads.filter((r) => r.key !== 'k199' && r.key !== 'k197'));
    const kept = await readNewest(files, 3, 2, read);
    expect(kept.map((r) => r.key)).toEqual(['k198', 'k196', 'k195']);
    expect(reads).toContain('metadata/k199.json');
  });

  it('returns what there is when there are fewer records than the limit', async () => {
    const { read } = reader(uploads.slice(0, 3));
    expect(await readNewest(files.slice(-3), 50, 8, read)).toHaveLength(3);
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
