import { AwsError } from '../../core/aws-error.ts';
import type { CorsConfig } from './types.ts';

/**
 * Everything the HTTP API does about CORS, in one place: validating a `CorsConfiguration`,
 * answering preflights, and decorating actual responses.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 *
 * Documented and followed: with a configuration, the gateway answers preflights itself (even
 * without an OPTIONS route), adds its CORS headers to integration responses and ignores the
 * integration's own; headers only for requests with `Origin` (preflights also need
 * `Access-Control-Request-Method`); `*`, `http://*`, `https://*` origins; `*` methods/headers.
 *
 * UNVERIFIED choices (aws-behavior.md §4.3, §4.7), each made once, here:
 * - Origin matching is case-insensitive (INFERRED in §4.7).
 * - A preflight matches only when the origin, the requested method and every requested header
 *   are allowed; otherwise it is not a CORS preflight and falls through to normal routing
 *   (OPTIONS/ANY/$default routes get it, else 404), with no access-control-* headers.
 * - Preflight answered by the gateway: 204, no body, no content-type/content-length;
 *   allow-methods and allow-headers are the configured lists joined with "," (allow-headers is
 *   present but empty when none are configured); no expose-headers on a preflight.
 * - A preflight routed to an OPTIONS/ANY/$default route still reaches the integration; the
 *   gateway then puts its own preflight headers on that response (as for any CORS request).
 * - allow-origin is `*` when the configuration allows `*`, else the request's Origin echoed,
 *   and then `vary: origin` is added. Gateway errors (404/413/500/503) carry the same headers.
 */

const ALLOWED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*'];
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/\s*?#@]+$/i;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const badRequest = (message: string) => new AwsError('BadRequestException', message, { status: 400 });

/** Checks a `corsConfiguration` from CreateApi/UpdateApi; returns it cleaned of unknown members. */
export function validateCors(input: unknown): CorsConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw badRequest('Invalid CORS configuration: corsConfiguration must be an object.');
  const raw = input as Record<string, unknown>;
  const out: CorsConfig = {};
  const list = (name: keyof CorsConfig): string[] | undefined => {
    const value = raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw badRequest(`Invalid CORS configuration: ${name} must be a list of strings.`);
    return value as string[];
  };
  const origins = list('allowOrigins');
  for (const origin of origins ?? [])
    if (!['*', 'http://*', 'https://*'].includes(origin.toLowerCase()) && !ORIGIN.test(origin))
      throw badRequest(
        `Invalid CORS allow-origin value: ${origin}. Use an origin like https://example.com (scheme, host, optional port, no path), or *, http://* or https://*.`,
      );
  const methods = list('allowMethods');
  for (const method of methods ?? [])
    if (!ALLOWED_METHODS.includes(method.toUpperCase()))
      throw badRequest(
        `Invalid CORS allow-method value: ${method}. Use one of ${ALLOWED_METHODS.join(', ')}.`,
      );
  const headers = list('allowHeaders');
  const expose = list('exposeHeaders');
  for (const header of [...(headers ?? []), ...(expose ?? [])])
    if (!TOKEN.test(header)) throw badRequest(`Invalid CORS header name: ${header}.`);
  if (raw['allowCredentials'] !== undefined && typeof raw['allowCredentials'] !== 'boolean')
    throw badRequest('Invalid CORS configuration: allowCredentials must be true or false.');
  const maxAge = raw['maxAge'];
  if (
    maxAge !== undefined &&
    (!Number.isInteger(maxAge) || (maxAge as number) < -1 || (maxAge as number) > 86400)
  )
    throw badRequest('Invalid CORS configuration: maxAge must be an integer from -1 to 86400.');
  if (raw['allowCredentials'] === true && origins?.includes('*'))
    throw badRequest("allow-credentials is not supported if 'allow-origin' is *");
  if (raw['allowCredentials'] !== undefined) out.allowCredentials = raw['allowCredentials'] as boolean;
  if (headers) out.allowHeaders = headers;
  if (methods) out.allowMethods = methods;
  if (origins) out.allowOrigins = origins;
  if (expose) out.exposeHeaders = expose;
  if (maxAge !== undefined) out.maxAge = maxAge as number;
  return out;
}

/** Whether `origin` is one of the allowed origins (case-insensitive; `*`, `http://*`, `https://*`). */
export function originAllowed(cors: CorsConfig, origin: string): boolean {
  const wanted = origin.toLowerCase();
  return (cors.allowOrigins ?? []).some((allowed) => {
    const a = allowed.toLowerCase();
    if (a === '*') return true;
    if (a === 'http://*' || a === 'https://*') return wanted.startsWith(a.slice(0, -1));
    return a === wanted;
  });
}

function allowOrigin(cors: CorsConfig, origin: string): Record<string, string> {
  if (cors.allowOrigins?.includes('*')) return { 'access-control-allow-origin': '*' };
  return { 'access-control-allow-origin': origin, vary: 'origin' };
}

/**
 * The headers of a successful preflight, or undefined when this is not an allowed preflight
 * (origin, requested method or a requested header not allowed).
 */
export function preflightHeaders(
  cors: CorsConfig,
  origin: string,
  requestMethod: string,
  requestHeaders: string | undefined,
): Record<string, string> | undefined {
  if (!originAllowed(cors, origin)) return undefined;
  const methods = (cors.allowMethods ?? []).map((m) => m.toUpperCase());
  if (!methods.includes('*') && !methods.includes(requestMethod.trim().toUpperCase())) return undefined;
  const allowedHeaders = (cors.allowHeaders ?? []).map((h) => h.toLowerCase());
  const requested = (requestHeaders ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  if (!allowedHeaders.includes('*') && requested.some((h) => !allowedHeaders.includes(h))) return undefined;
  const headers: Record<string, string> = {
    ...allowOrigin(cors, origin),
    'access-control-allow-methods': (cors.allowMethods ?? []).join(','),
    'access-control-allow-headers': (cors.allowHeaders ?? []).join(','),
  };
  if (cors.maxAge !== undefined) headers['access-control-max-age'] = String(cors.maxAge);
  if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  return headers;
}

/** The headers added to an actual (non-preflight) response, or undefined for a disallowed origin. */
export function actualHeaders(cors: CorsConfig, origin: string): Record<string, string> | undefined {
  if (!originAllowed(cors, origin)) return undefined;
  const headers = allowOrigin(cors, origin);
  if (cors.exposeHeaders?.length) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  return headers;
}

/** With a CORS configuration the integration's own CORS headers are ignored. */
export function isCorsHeader(name: string): boolean {
  return name.toLowerCase().startsWith('access-control-');
}
