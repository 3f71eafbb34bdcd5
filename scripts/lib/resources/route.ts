import {
  CreateIntegrationCommand,
  CreateRouteCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  type Integration,
  type Route,
} from '@aws-sdk/client-apigatewayv2';
import { change, type Change, type RunContext } from '../context.ts';
import type { FunctionKey } from '../names.ts';
import { findApis, requireApi, requireFunctionArn } from './require.ts';

interface PageOf<T> {
  Items?: T[] | undefined;
  NextToken?: string | undefined;
}

async function allPages<T>(fetch: (token: string | undefined) => Promise<PageOf<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    items.push(...(page.Items ?? []));
    token = page.NextToken;
  } while (token);
  return items;
}

export const listRoutes = (ctx: RunContext, ApiId: string): Promise<Route[]> =>
  allPages((NextToken) =>
    ctx.clients.apigw.send(new GetRoutesCommand({ ApiId, ...(NextToken ? { NextToken } : {}) })),
  );

const listIntegrations = (ctx: RunContext, ApiId: string): Promise<Integration[]> =>
  allPages((NextToken) =>
    ctx.clients.apigw.send(new GetIntegrationsCommand({ ApiId, ...(NextToken ? { NextToken } : {}) })),
  );

const integrationIdOf = (route: Route | undefined): string | undefined =>
  route?.Target?.startsWith('integrations/') ? route.Target.slice('integrations/'.length) : undefined;

const isLambdaProxyTo = (i: Integration, arn: string): boolean =>
  i.IntegrationType === 'AWS_PROXY' && i.IntegrationUri === arn && i.PayloadFormatVersion === '2.0';

/**
 * `routeKey` (e.g. `GET /files`) → an AWS_PROXY integration (payload 2.0) with the function.
 * An existing integration for the function is reused; a route pointing elsewhere is re-pointed.
 */
export async function ensureRoute(ctx: RunContext, routeKey: string, fn: FunctionKey): Promise<Change> {
  const ApiId = await requireApi(ctx);
  const arn = await requireFunctionArn(ctx, fn);
  const { apigw } = ctx.clients;
  const label = `${routeKey} → ${ctx.names.functions[fn]}`;
  const routes = await listRoutes(ctx, ApiId);
  const route = routes.find((r) => r.RouteKey === routeKey);
  const integrations = await listIntegrations(ctx, ApiId);
  const current = integrations.find((i) => i.IntegrationId === integrationIdOf(route));
  if (route && current && isLambdaProxyTo(current, arn)) return change('route', label, 'unchanged');
  const shared = routes.some((r) => r !== route && current && integrationIdOf(r) === current.IntegrationId);

  let integrationId: string | undefined;
  if (current && current.IntegrationType === 'AWS_PROXY' && !shared) {
    // The route's own integration points at the wrong place: fix it in place.
    await apigw.send(
      new UpdateIntegrationCommand({
        ApiId,
        IntegrationId: current.IntegrationId,
        IntegrationUri: arn,
        PayloadFormatVersion: '2.0',
        IntegrationMethod: 'POST',
      }),
    );
    integrationId = current.IntegrationId;
  } else {
    integrationId = integrations.find((i) => isLambdaProxyTo(i, arn))?.IntegrationId;
    integrationId ??= (
      await apigw.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: arn,
          IntegrationMethod: 'POST',
          PayloadFormatVersion: '2.0',
        }),
      )
    ).IntegrationId;
  }
  const Target = `integrations/${integrationId ?? ''}`;
  if (!route) {
    await apigw.send(new CreateRouteCommand({ ApiId, RouteKey: routeKey, Target }));
    return change('route', label, 'created');
  }
  if (route.Target !== Target)
    await apigw.send(new UpdateRouteCommand({ ApiId, RouteId: route.RouteId, Target }));
  return change('route', label, 'updated', 'integration');
}

/** Deletes the route and its integration (unless another route still uses it). */
export async function removeRoute(ctx: RunContext, routeKey: string): Promise<Change> {
  const [api] = await findApis(ctx);
  if (!api?.ApiId) return change('route', routeKey, 'unchanged', 'absent');
  const ApiId = api.ApiId;
  const routes = await listRoutes(ctx, ApiId);
  const route = routes.find((r) => r.RouteKey === routeKey);
  if (!route?.RouteId) return change('route', routeKey, 'unchanged', 'absent');
  await ctx.clients.apigw.send(new DeleteRouteCommand({ ApiId, RouteId: route.RouteId }));
  const IntegrationId = integrationIdOf(route);
  const shared = routes.some((r) => r !== route && integrationIdOf(r) === IntegrationId);
  if (IntegrationId && !shared)
    await ctx.clients.apigw.send(new DeleteIntegrationCommand({ ApiId, IntegrationId }));
  return change('route', routeKey, 'deleted');
}
