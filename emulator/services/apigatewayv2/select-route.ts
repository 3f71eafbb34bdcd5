import { safeDecode } from '../../core/query-string.ts';
import { compareSpecificity, matchPath, parseRouteKey, type ParsedRouteKey } from './route-key.ts';
import type { ApiRecord, DeployedApi, RouteRecord, StageRecord } from './types.ts';

/**
 * How a request finds its stage and route.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation
 */

/** The stage a path names by its first segment, else `$default` with the whole path. */
export function selectStage(
  api: ApiRecord,
  rest: string,
): { stage: StageRecord; rawPath: string } | undefined {
  const first = rest.split('/')[1];
  const named = first !== undefined && first !== '' ? safeDecode(first) : undefined;
  if (named !== undefined && named !== '$default' && api.stages[named]) {
    const below = rest.slice(1 + first!.length);
    return { stage: api.stages[named], rawPath: below === '' ? '/' : below };
  }
  const stage = api.stages['$default'];
  return stage && { stage, rawPath: rest };
}

type PathKey = Extract<ParsedRouteKey, { kind: 'path' }>;
const parsedCache = new WeakMap<RouteRecord[], Array<{ route: RouteRecord; key: ParsedRouteKey }>>();

function parsedRoutes(deployed: DeployedApi) {
  let parsed = parsedCache.get(deployed.routes);
  if (!parsed) {
    parsed = deployed.routes.flatMap((route) => {
      const key = parseRouteKey(route.routeKey);
      return 'error' in key ? [] : [{ route, key }];
    });
    parsedCache.set(deployed.routes, parsed);
  }
  return parsed;
}

/**
 * The route for a request: the most specific matching `METHOD /path` route (exact, then path
 * variables, then greedy `{proxy+}`; a method before `ANY`), else `$default`, else none.
 */
export function selectRoute(
  deployed: DeployedApi,
  method: string,
  rawPath: string,
): { route: RouteRecord; pathParameters: Record<string, string> | undefined } | undefined {
  const segments = rawPath === '/' ? [] : rawPath.slice(1).split('/').map(safeDecode);
  let best: { route: RouteRecord; key: PathKey; params: Record<string, string> } | undefined;
  let fallback: RouteRecord | undefined;
  for (const { route, key } of parsedRoutes(deployed)) {
    if (key.kind === 'default') {
      fallback = route;
      continue;
    }
    if (key.method !== method && key.method !== 'ANY') continue;
    const params = matchPath(key.segments, segments);
    if (params && (!best || compareSpecificity(key, best.key) < 0)) best = { route, key, params };
  }
  if (best) return { route: best.route, pathParameters: best.params };
  return fallback && { route: fallback, pathParameters: undefined };
}
