import type { RequestContext } from '../../core/context.ts';
import type { BucketRecord } from './model/types.ts';
import { s3Errors } from './s3-errors.ts';

/**
 * One page of ListBuckets: `prefix`, `bucket-region`, then at most `max-buckets` (1–10000)
 * names after the `continuation-token`, with the token of the next page when more remain.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
 * The token is the base64 of the last name returned (opaque to clients; its form is ours).
 */
export function listBucketsPage(
  ctx: RequestContext,
  all: BucketRecord[],
): { buckets: BucketRecord[]; next?: string; prefix?: string } {
  const prefix = ctx.query.get('prefix');
  const region = ctx.query.get('bucket-region');
  const rawMax = ctx.query.get('max-buckets');
  const token = ctx.query.get('continuation-token');
  let max = 10_000;
  if (rawMax !== undefined) {
    // The error for an out-of-range value is UNVERIFIED (InvalidArgument, as for max-keys).
    if (!/^\d+$/.test(rawMax) || Number(rawMax) < 1 || Number(rawMax) > 10_000)
      throw s3Errors.invalidArgument(
        'Argument max-buckets must be an integer between 1 and 10000',
        'max-buckets',
        rawMax,
      );
    max = Number(rawMax);
  }
  const after = token ? Buffer.from(token, 'base64').toString('utf8') : '';
  const matching = all.filter(
    (b) => (!prefix || b.name.startsWith(prefix)) && (!region || b.region === region) && b.name > after,
  );
  const buckets = matching.slice(0, max);
  return {
    buckets,
    ...(matching.length > max ? { next: Buffer.from(buckets.at(-1)!.name).toString('base64') } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
  };
}
