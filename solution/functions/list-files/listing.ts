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
 * The metadata files to read, most recently written first, at most `max`. Every record is read
 * (up to the cap) because the order that counts is `uploadedAt`, inside the records.
 */
export function newestKeys(objects: readonly ListedObject[], max = MAX_READS): string[] {
  return objects
    .filter((object): object is { Key: string; LastModified?: Date } => typeof object.Key === 'string')
    .filter((object) => object.Key.endsWith('.json'))
    .sort((a, b) => (b.LastModified?.valueOf() ?? 0) - (a.LastModified?.valueOf() ?? 0))
    .slice(0, max)
    .map((object) => object.Key);
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
