import type { CorsRule } from '../model/types.ts';

/** A CORS request as S3 evaluates it: origin, method, and the requested header names. */
export interface CorsRequest {
  origin: string;
  method: string;
  /** Lower-cased, trimmed names from Access-Control-Request-Headers (empty when absent). */
  headers: string[];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Anchored glob with one `*`; `minOne` makes the `*` need at least one character. */
function glob(
  pattern: string,
  value: string,
  options: { minOne: boolean; caseInsensitive: boolean },
): boolean {
  if (!pattern.includes('*')) {
    return options.caseInsensitive ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const source =
    '^' +
    pattern
      .split('*')
      .map(escapeRegex)
      .join(options.minOne ? '.+' : '.*') +
    '$';
  return new RegExp(source, options.caseInsensitive ? 'i' : '').test(value);
}

/**
 * Origin match [REC test_cors_options_match_partial_origin / _fails_partial_origin]: `*`
 * alone matches anything; one `*` inside a value is a wildcard needing ≥1 character; scheme
 * and port count. Case-sensitive — UNVERIFIED (LocalStack is case-sensitive too).
 */
export const originMatches = (allowed: string, origin: string): boolean =>
  allowed === '*' || glob(allowed, origin, { minOne: true, caseInsensitive: false });

/** Header match [REC test_cors_match_headers]: case-insensitive; `*` and `x-amz-*` globs [DOC]. */
const headerMatches = (allowed: string, header: string): boolean =>
  allowed === '*' || glob(allowed, header, { minOne: false, caseInsensitive: true });

/** Splits Access-Control-Request-Headers: comma-separated, whitespace ignored, lower-cased. */
export function requestedHeaders(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

/**
 * The first rule that allows the request, walking the rules in order.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 */
export function findCorsRule(rules: CorsRule[], request: CorsRequest): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.AllowedOrigins.some((o) => originMatches(o, request.origin)) &&
      rule.AllowedMethods.includes(request.method) &&
      // A rule without AllowedHeaders does not match a request that lists headers [REC].
      request.headers.every((h) => rule.AllowedHeaders.some((a) => headerMatches(a, h))),
  );
}

/**
 * The headers a matched rule adds [REC test_s3_cors.snapshot.json]: `*` or the echoed origin
 * (with credentials only when echoed), the rule's whole method list, the requested headers
 * lower-cased (preflight only), expose headers, max age, and Vary.
 */
export function corsHeaders(
  rule: CorsRule,
  request: CorsRequest,
  preflight: boolean,
): Record<string, string> {
  const wildcard = rule.AllowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': wildcard ? '*' : request.origin,
  };
  if (!wildcard) headers['Access-Control-Allow-Credentials'] = 'true';
  headers['Access-Control-Allow-Methods'] = rule.AllowedMethods.join(', ');
  if (preflight && request.headers.length)
    headers['Access-Control-Allow-Headers'] = request.headers.join(', ');
  // On actual responses Expose-Headers is UNVERIFIED (§1.3, "very likely"); LocalStack sends it too.
  if (rule.ExposeHeaders.length) headers['Access-Control-Expose-Headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
  headers['Vary'] = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
  return headers;
}
