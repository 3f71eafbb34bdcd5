import {
  GetApiCommand,
  GetRoutesCommand,
  type GetApiCommandOutput,
  type Route,
} from '@aws-sdk/client-apigatewayv2';
import type { CheckContext } from '../context.ts';

/** The HTTP API, once per run. */
export function getApi(ctx: CheckContext): Promise<GetApiCommandOutput> {
  return ctx.memo('api', () => ctx.aws.apigw.send(new GetApiCommand({ ApiId: ctx.target.apiId })));
}

/** The API's routes, once per run. */
export function getRoutes(ctx: CheckContext): Promise<Route[]> {
  return ctx.memo('routes', async () => {
    const routes: Route[] = [];
    let token: string | undefined;
    do {
      const page = await ctx.aws.apigw.send(
        new GetRoutesCommand({ ApiId: ctx.target.apiId, ...(token ? { NextToken: token } : {}) }),
      );
      routes.push(...(page.Items ?? []));
      token = page.NextToken;
    } while (token);
    return routes;
  });
}

/** The URL of a path on the API's `$default` stage. */
export function apiUrl(ctx: CheckContext, path: string): string {
  return `${ctx.target.apiEndpoint.replace(/\/$/, '')}${path}`;
}
