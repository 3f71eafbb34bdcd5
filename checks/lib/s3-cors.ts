import type { CORSRule } from '@aws-sdk/client-s3';
import { globMatch } from './arn.ts';

/**
 * S3's origin match: exact, `*`, or one `*` wildcard standing for at least one character
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html, "How does Amazon S3 evaluate…").
 */
export function s3OriginMatches(allowed: string, origin: string): boolean {
  if (allowed === '*' || allowed === origin) return true;
  if (!allowed.includes('*')) return false;
  return globMatch(allowed, origin) && !globMatch(allowed.replace('*', ''), origin);
}

export interface BucketCorsVerdict {
  /** The first rule S3 would use for a POST from `origin`. */
  rule?: CORSRule;
  originRules: CORSRule[];
  problem?: 'origin-missing' | 'no-post' | 'etag-not-exposed';
}

/** Which rule S3 applies to the browser's POST from `origin`, and what keeps it from working. */
export function judgeBucketCors(rules: readonly CORSRule[], origin: string): BucketCorsVerdict {
  const originRules = rules.filter((r) => (r.AllowedOrigins ?? []).some((o) => s3OriginMatches(o, origin)));
  if (originRules.length === 0) return { originRules, problem: 'origin-missing' };
  const rule = originRules.find((r) => (r.AllowedMethods ?? []).includes('POST'));
  if (!rule) return { originRules, problem: 'no-post' };
  const exposed = (rule.ExposeHeaders ?? []).map((h) => h.toLowerCase());
  if (!exposed.includes('etag') && !exposed.includes('*'))
    return { rule, originRules, problem: 'etag-not-exposed' };
  return { rule, originRules };
}
