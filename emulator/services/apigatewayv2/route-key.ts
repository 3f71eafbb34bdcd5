/**
 * Route keys (`POST /upload-url`, `GET /pets/{id}`, `ANY /{proxy+}`, `$default`): parsing,
 * matching a request path, and the priority AWS gives overlapping routes.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 */

export const ROUTE_METHODS = ['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

export type Segment =
  { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export type ParsedRouteKey =
  { kind: 'default' } | { kind: 'path'; method: string; path: string; segments: Segment[] };

const PARAM = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

/** Parses a route key, or returns why it is invalid. */
export function parseRouteKey(key: string): ParsedRouteKey | { error: string } {
  if (key === '$default') return { kind: 'default' };
  const space = key.indexOf(' ');
  if (space === -1) return { error: 'a route key is "$default" or "<METHOD> <path>"' };
  const method = key.slice(0, space);
  const path = key.slice(space + 1);
  if (!(ROUTE_METHODS as readonly string[]).includes(method))
    return { error: `unknown method "${method}" (use one of ${ROUTE_METHODS.join(', ')})` };
  if (!path.startsWith('/')) return { error: `the path "${path}" must start with "/"` };
  const segments: Segment[] = [];
  const names = new Set<string>();
  const parts = path === '/' ? [] : path.slice(1).split('/');
  for (const [i, part] of parts.entries()) {
    if (part === '') return { error: `the path "${path}" has an empty segment` };
    const param = PARAM.exec(part);
    if (param) {
      const name = param[1]!;
      if (names.has(name)) return { error: `the path variable {${name}} appears twice` };
      names.add(name);
      if (param[2] && i !== parts.length - 1)
        return { error: `the greedy variable {${name}+} must be the last segment` };
      segments.push(param[2] ? { kind: 'greedy', name } : { kind: 'param', name });
    } else if (/[{}]/.test(part)) {
      return { error: `the segment "${part}" mixes text and a path variable` };
    } else segments.push({ kind: 'literal', value: part });
  }
  return { kind: 'path', method, path, segments };
}

/** Path parameters when `segments` matches the request path (already split, decoded), else undefined. */
export function matchPath(segments: Segment[], request: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = request.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = rest.join('/');
      return params;
    }
    const part = request[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal' && segment.value !== part) return undefined;
    if (segment.kind === 'param') {
      if (part === '') return undefined;
      params[segment.name] = part;
    }
  }
  return segments.length === request.length ? params : undefined;
}

const WEIGHT = { literal: 2, param: 1, greedy: 0 } as const;

/**
 * Orders two matching routes, most specific first: a route without a greedy variable beats
 * one with; then, segment by segment, literal text beats a variable; then a method beats `ANY`.
 */
export function compareSpecificity(
  a: Extract<ParsedRouteKey, { kind: 'path' }>,
  b: Extract<ParsedRouteKey, { kind: 'path' }>,
): number {
  const greedy = (k: typeof a) => (k.segments.at(-1)?.kind === 'greedy' ? 1 : 0);
  if (greedy(a) !== greedy(b)) return greedy(a) - greedy(b);
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const wa = a.segments[i] ? WEIGHT[a.segments[i]!.kind] : -1;
    const wb = b.segments[i] ? WEIGHT[b.segments[i]!.kind] : -1;
    if (wa !== wb) return wb - wa;
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

/**
 * Two routes whose paths put differently named variables at the same level under the same
 * parent (`/pets/{id}` and `/pets/{petId}/toys`) conflict: AWS keeps one resource tree.
 */
export function conflictingVariable(a: Segment[], b: Segment[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind === 'literal' && y.kind === 'literal') {
      if (x.value !== y.value) return false;
      continue;
    }
    if (x.kind === 'literal' || y.kind === 'literal' || x.kind !== y.kind) return false;
    if (x.name !== y.name) return true;
  }
  return false;
}
