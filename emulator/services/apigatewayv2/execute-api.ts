import { AwsError } from '../../core/aws-error.ts';
import type { RequestContext } from '../../core/context.ts';
import { actualHeaders, preflightHeaders } from './cors.ts';
import { apigwRequestId, gatewayRequest } from './gateway-request.ts';
import { gatewayError, sendPreflight } from './gateway-response.ts';
import { invokeLambdaIntegration } from './integration.ts';
import type { ApiModel } from './model.ts';
import { selectRoute, selectStage } from './select-route.ts';

/** API Gateway's payload quota: 10 MB. Larger request bodies are refused with 413 before they reach a function. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The HTTP API data plane, served at `/_aws/execute-api/{apiId}/…`: stage, CORS, route,
 * Lambda proxy integration.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api.html
 */
export function createExecuteApi(model: ApiModel) {
  return async (ctx: RequestContext, apiId: string, rest: string): Promise<void> => {
    const requestId = apigwRequestId();
    ctx.extraHeaders['apigw-requestid'] = requestId;
    ctx.operation = 'NotFound';
    // By id whatever its region: ids are unique across regions, and the path names no region.
    const api = model.byId(apiId);
    if (!api) return gatewayError.notFound(ctx);
    if (api.disableExecuteApiEndpoint) return gatewayError.forbidden(ctx);
    const selected = selectStage(api, rest);
    const deployed = selected && model.deployedFor(api, selected.stage);
    if (!selected || !deployed) return gatewayError.notFound(ctx);

    const match = selectRoute(deployed, ctx.method, selected.rawPath);
    const origin = ctx.header('origin');
    if (deployed.cors && origin !== undefined) {
      const requestMethod = ctx.header('access-control-request-method');
      if (ctx.method === 'OPTIONS' && requestMethod !== undefined) {
        const headers = preflightHeaders(
          deployed.cors,
          origin,
          requestMethod,
          ctx.header('access-control-request-headers'),
        );
        if (headers) {
          Object.assign(ctx.extraHeaders, headers);
          // An OPTIONS, ANY or $default route receives the preflight; otherwise the gateway answers.
          if (!match) {
            ctx.operation = 'Preflight';
            return sendPreflight(ctx);
          }
        }
      } else Object.assign(ctx.extraHeaders, actualHeaders(deployed.cors, origin));
    }
    if (!match) return gatewayError.notFound(ctx);
    const { route, pathParameters } = match;
    ctx.operation = route.routeKey;
    const integrationId = /^integrations\/(.+)$/.exec(route.target ?? '')?.[1];
    const integration = integrationId === undefined ? undefined : deployed.integrations[integrationId];
    // UNVERIFIED: a route without an integration answers 404 like a missing route.
    if (!integration) return gatewayError.notFound(ctx);

    const declared = Number(ctx.header('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) return gatewayError.tooLarge(ctx);
    let body: Buffer;
    try {
      body = await ctx.body(MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof AwsError && err.status === 413) return gatewayError.tooLarge(ctx);
      throw err;
    }
    const request = gatewayRequest(ctx, {
      requestId,
      apiId,
      region: api.region,
      stage: selected.stage.stageName,
      routeKey: route.routeKey,
      rawPath: rest,
      pathParameters,
      stageVariables: selected.stage.stageVariables,
      body,
    });
    await invokeLambdaIntegration(ctx, integration, request, deployed.cors !== undefined);
  };
}
