/**
 * A timestamp as S3 listings print it (ListBuckets `CreationDate`, ListObjects/V2 `LastModified`):
 * whole seconds with a `.000Z` millisecond part, e.g. `2026-02-21T10:04:05.000Z`
 * [REC LocalStack snapshots of list_buckets / list_objects_v2]. S3 keeps second precision.
 */
export function listingTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(Math.floor(ms / 1000) * 1000).toISOString();
}
