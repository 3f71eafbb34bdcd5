import { sendJson } from '../../protocols/rest-json.ts';
import type { Call } from './call.ts';
import { autoDeploy } from './deploy.ts';
import { apiErrors } from './errors.ts';
import { Input } from './input.ts';
import { integrationFrom, routeFrom } from './records.ts';
import type { ApiRecord } from './types.ts';
import { page, toIntegration, toRoute } from './wire.ts';

const apiIdOf = (call: Call) => call.params['apiId']!;

function route(api: ApiRecord, routeId: string) {
  const found = api.routes[routeId];
  if (!found) throw apiErrors.routeNotFound(routeId);
  return found;
}

function integration(api: ApiRecord, integrationId: string) {
  const found = api.integrations[integrationId];
  if (!found) throw apiErrors.integrationNotFound(integrationId);
  return found;
}

/** CreateRoute. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes.html */
export async function createRoute(call: Call): Promise<void> {
  const input = await Input.read(call.ctx);
  const created = await call.model.update(apiIdOf(call), (api) => {
    const record = routeFrom(api, input);
    api.routes[record.routeId] = record;
    autoDeploy(api);
    return record;
  });
  sendJson(call.ctx, 201, toRoute(created));
}

/** GetRoute. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes-routeid.html */
export async function getRoute(call: Call): Promise<void> {
  sendJson(call.ctx, 200, toRoute(route(call.model.require(apiIdOf(call)), call.params['routeId']!)));
}

/** GetRoutes. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes.html */
export async function getRoutes(call: Call): Promise<void> {
  const api = call.model.require(apiIdOf(call));
  sendJson(call.ctx, 200, page(call.ctx, Object.values(api.routes).map(toRoute)));
}

/** UpdateRoute. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes-routeid.html */
export async function updateRoute(call: Call): Promise<void> {
  const input = await Input.read(call.ctx);
  const updated = await call.model.update(apiIdOf(call), (api) => {
    const record = routeFrom(api, input, route(api, call.params['routeId']!));
    api.routes[record.routeId] = record;
    autoDeploy(api);
    return record;
  });
  sendJson(call.ctx, 200, toRoute(updated));
}

/** DeleteRoute. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes-routeid.html */
export async function deleteRoute(call: Call): Promise<void> {
  await call.model.update(apiIdOf(call), (api) => {
    delete api.routes[route(api, call.params['routeId']!).routeId];
    autoDeploy(api);
  });
  call.ctx.send(204, { 'x-amzn-RequestId': call.ctx.id });
}

/** CreateIntegration. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations.html */
export async function createIntegration(call: Call): Promise<void> {
  const input = await Input.read(call.ctx);
  const created = await call.model.update(apiIdOf(call), (api) => {
    const record = integrationFrom(api, input);
    api.integrations[record.integrationId] = record;
    autoDeploy(api);
    return record;
  });
  sendJson(call.ctx, 201, toIntegration(created));
}

/** GetIntegration. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations-integrationid.html */
export async function getIntegration(call: Call): Promise<void> {
  const api = call.model.require(apiIdOf(call));
  sendJson(call.ctx, 200, toIntegration(integration(api, call.params['integrationId']!)));
}

/** GetIntegrations. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations.html */
export async function getIntegrations(call: Call): Promise<void> {
  const api = call.model.require(apiIdOf(call));
  sendJson(call.ctx, 200, page(call.ctx, Object.values(api.integrations).map(toIntegration)));
}

/** UpdateIntegration. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations-integrationid.html */
export async function updateIntegration(call: Call): Promise<void> {
  const input = await Input.read(call.ctx);
  const updated = await call.model.update(apiIdOf(call), (api) => {
    const record = integrationFrom(api, input, integration(api, call.params['integrationId']!));
    api.integrations[record.integrationId] = record;
    autoDeploy(api);
    return record;
  });
  sendJson(call.ctx, 200, toIntegration(updated));
}

/** DeleteIntegration; refused while a route targets it [UNVERIFIED message]. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations-integrationid.html */
export async function deleteIntegration(call: Call): Promise<void> {
  await call.model.update(apiIdOf(call), (api) => {
    const { integrationId } = integration(api, call.params['integrationId']!);
    const user = Object.values(api.routes).find((r) => r.target === `integrations/${integrationId}`);
    if (user)
      throw apiErrors.conflict(
        `Integration ${integrationId} is the target of route ${user.routeKey} (${user.routeId}); change or delete that route first.`,
      );
    delete api.integrations[integrationId];
    autoDeploy(api);
  });
  call.ctx.send(204, { 'x-amzn-RequestId': call.ctx.id });
}
