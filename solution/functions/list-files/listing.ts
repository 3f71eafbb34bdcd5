import type { FileRecord } from '../lib/file-record.ts';
import { ClientError } from '../lib/http.ts';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;
/** How many metadata files are read at once. */
export const READ_CONCURRENCY = 8;

/** `?limit=N`: absent → 50; a whole number 1..100 → N; anything else → 400 `INVALID_LIMIT`. */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  const limit = /^\d{1,3}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw new ClientError(
      'INVALID_LIMIT',
      `"limit" must be a whole number from 1 to ${MAX_LIMIT}, got "${raw}".`,
    );
  }
  return limit;
}

export interface ListedObject {
  Key?: string | undefined;
  LastModified?: Date | undefined;
}

/** A request reads at most this many records: the most recently written ones. */
export const MAX_READS = 1000;

/**
 * How far a record's `uploadedAt` may lie after its metadata file's listed LastModified: S3 lists
 * LastModified to the second, and file-metadata writes a record after its upload happened, so
 * `uploadedAt` ≤ LastModified + 1 s. One more second covers rounding between the two clocks.
 */
export const LIST_SKEW_MS = 2000;

export interface Candidate {
  key: string;
  /** The metadata file's LastModified in ms; `Infinity` when the listing did not give one. */
  writtenAt: number;
}

/** The metadata files that may be read, most recently written first, at most `max`. */
export function candidates(objects: readonly ListedObject[], max = MAX_READS): Candidate[] {
  return objects
    .filter((object): object is { Key: string; LastModified?: Date } => typeof object.Key === 'string')
    .filter((object) => object.Key.endsWith('.json'))
    .map((object) => ({ key: object.Key, writtenAt: object.LastModified?.valueOf() ?? Infinity }))
    .sort((a, b) => b.writtenAt - a.writtenAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, max);
}

/**
 * The `limit` newest records, reading metadata files newest-written first, `concurrency` at a
 * time, and stopping as soon as no unread file can hold a newer record than the ones kept: a
 * record's `uploadedAt` is never later than its file's LastModified (plus `LIST_SKEW_MS`). So a
 * dashboard over thousands of uploads reads about `limit` files, not all of them.
 */
export async function readNewest(
  files: readonly Candidate[],
  limit: number,
  concurrency: number,
  read: (key: string) => Promise<FileRecord | undefined>,
): Promise<FileRecord[]> {
  let kept: FileRecord[] = [];
  for (let start = 0; start < files.length; start += concurrency) {
    const batch = files.slice(start, start + concurrency);
    const records = await mapConcurrent(batch, concurrency, (file) => read(file.key));
    kept = newestFirst([...kept, ...records.filter((r): r is FileRecord => r !== undefined)], limit);
    const next = files[start + concurrency];
    const oldestKept = kept[limit - 1];
    if (!next || (oldestKept && next.writtenAt + LIST_SKEW_MS < Date.parse(oldestKept.uploadedAt))) break;
  }
  return kept;
}

/** Newest upload first; equal times by key, so the order is stable. */
export function newestFirst(records: readonly FileRecord[], limit: number): FileRecord[] {
  return [...records]
    .sort((a, b) => Date.parse(b.uploadedAt) - Date.parse(a.uploadedAt) || a.key.localeCompare(b.key))
    .slice(0, limit);
}

/** Runs `task` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
