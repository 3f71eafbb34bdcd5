import { GetIntegrationCommand, type Route } from '@aws-sdk/client-apigatewayv2';
import { fail, failMaybePropagating } from '../check-failure.ts';
import { hint } from '../hints.ts';
import { apiUrl, getRoutes } from '../lib/api.ts';
import { functionNameFrom } from '../lib/arn.ts';
import { request, snippet } from '../lib/http.ts';
import { allowsInvoke, functionPolicy } from '../lib/invoke-permission.ts';
import { accountOf, ticketFunction, ticketProblems, ticketRequest } from '../lib/ticket.ts';
import type { Check } from '../types.ts';

export const ROUTE_KEY = 'POST /upload-url';

/** A route the student probably meant as `POST /upload-url`: same path and another method, or a near path. */
export function nearMiss(
  routes: readonly Route[],
): { route: Route; kind: 'wrong-method' | 'wrong-path' } | undefined {
  const keys = routes.map((r) => ({
    route: r,
    method: (r.RouteKey ?? '').split(' ')[0] ?? '',
    path: (r.RouteKey ?? '').split(' ')[1] ?? '',
  }));
  const samePath = keys.find((k) => k.path.toLowerCase() === '/upload-url' && k.method !== 'POST');
  if (samePath) return { route: samePath.route, kind: 'wrong-method' };
  const norm = (p: string) => p.toLowerCase().replace(/[^a-z]/g, '');
  const nearPath = keys.find((k) => k.method === 'POST' && /upload/.test(norm(k.path)));
  if (nearPath) return { route: nearPath.route, kind: 'wrong-path' };
  return undefined;
}

export const uploadRoute: Check = {
  id: 'upload-route',
  title: 'Route exists and is connected',
  step: 'Create POST /upload-url',
  needs: ['ticket-function'],
  async run(ctx) {
    const fn = ctx.target.functions.uploadTicket;
    const { apiId, region } = ctx.target;
    const [routes, config, statements, live] = await Promise.all([
      getRoutes(ctx),
      ticketFunction(ctx),
      functionPolicy(ctx, fn),
      request(apiUrl(ctx, '/upload-url'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: ticketRequest(ctx, 'upload-route'),
      }),
    ]);
    const { account, partition } = accountOf(config);
    const sourceArn = `arn:${partition}:execute-api:${region}:${account}:${apiId}/$default/POST/upload-url`;
    const wantedArn = `arn:${partition}:execute-api:${region}:${account}:${apiId}/*/*/upload-url`;
    const evidence: Record<string, unknown> = {
      routes: routes.map((r) => r.RouteKey),
      liveCall: { status: live.status, body: snippet(live.body, 300) },
    };
    const route = routes.find((r) => r.RouteKey === ROUTE_KEY);
    if (!route) {
      const miss = nearMiss(routes);
      const routeKey = miss?.route.RouteKey ?? '';
      if (miss?.kind === 'wrong-method')
        fail(
          `The API has ${routeKey}, not ${ROUTE_KEY}.`,
          hint('upload-route.wrong-method', { routeKey }),
          evidence,
        );
      if (miss?.kind === 'wrong-path')
        fail(
          `The API has ${routeKey}, not ${ROUTE_KEY}.`,
          hint('upload-route.wrong-path', { routeKey }),
          evidence,
        );
      const keys = routes.map((r) => r.RouteKey ?? '');
      fail(
        `The API has no route ${ROUTE_KEY}.`,
        hint('upload-route.missing', { routes: keys, fn }),
        evidence,
      );
    }
    if (!route.Target?.startsWith('integrations/')) {
      fail(
        `Route ${ROUTE_KEY} has no integration.`,
        hint('upload-route.no-integration', { routeKey: ROUTE_KEY, fn }),
        evidence,
      );
    }
    const integration = await ctx.aws.apigw.send(
      new GetIntegrationCommand({ ApiId: apiId, IntegrationId: route.Target.slice('integrations/'.length) }),
    );
    evidence['integration'] = {
      type: integration.IntegrationType,
      uri: integration.IntegrationUri,
      payloadFormatVersion: integration.PayloadFormatVersion,
    };
    const target = functionNameFrom(integration.IntegrationUri ?? '');
    if (target !== fn && integration.IntegrationUri !== config?.FunctionArn) {
      fail(
        `Route ${ROUTE_KEY} calls ${target || '(nothing)'}, not ${fn}.`,
        hint('upload-route.wrong-function', { seen: target || '(nothing)', fn }),
        evidence,
      );
    }
    if (integration.PayloadFormatVersion !== '2.0') {
      const seen = integration.PayloadFormatVersion ?? '(unset)';
      fail(
        `The integration uses payload format ${seen}.`,
        hint('upload-route.payload-version', { seen }),
        evidence,
      );
    }
    const permission = allowsInvoke(statements, sourceArn);
    evidence['invokePermission'] = { sourceArn, allowedSourceArns: permission.allowedSourceArns };
    if (!permission.allowed) {
      fail(
        `Function ${fn}'s resource policy does not let API Gateway invoke it for API ${apiId}${live.status >= 500 ? ` (the route answers ${live.status})` : ''}.`,
        hint('upload-route.no-invoke-permission', { fn, sourceArn: wantedArn }),
        evidence,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(live.body);
    } catch {
      body = undefined;
    }
    if (live.status !== 200 || ticketProblems(body).length > 0) {
      // Everything is configured, but the stage answers "Not Found": the route may not be
      // deployed yet (auto-deploys take seconds, §11.4). Any other answer is the route's own.
      const notLiveYet = live.status === 404 && /"Not Found"/.test(live.body);
      (notLiveYet ? failMaybePropagating : fail)(
        `POST /upload-url answered ${live.status}.`,
        hint('upload-route.live-call-failed', { status: live.status, body: snippet(live.body, 100) }),
        evidence,
      );
    }
    return {
      summary: `${ROUTE_KEY} → ${fn} (payload 2.0), invoke permission for ${apiId}; a live call answered 200 with a ticket`,
      ...evidence,
    };
  },
};
