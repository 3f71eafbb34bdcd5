import { sendJson } from '../../protocols/rest-json.ts';
import type { Call } from './call.ts';
import { validateCors } from './cors.ts';
import { autoDeploy, activate, deploy } from './deploy.ts';
import { apiErrors } from './errors.ts';
import { Input } from './input.ts';
import { isoNow, newId } from './model.ts';
import { checkRouteKey, integrationFrom, newStage } from './records.ts';
import type { ApiRecord } from './types.ts';
import { page, toApi } from './wire.ts';

const ROUTE_SELECTION = '$request.method $request.path';

/** CreateApi, including quick create (`target` + optional `routeKey`). https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html */
export async function createApi({ ctx, model }: Call): Promise<void> {
  const input = await Input.read(ctx);
  const name = input.requiredString('name');
  const protocolType = input.requiredString('protocolType');
  if (protocolType === 'WEBSOCKET')
    throw apiErrors.badRequest('The local AWS emulates HTTP APIs only; WEBSOCKET APIs are not supported.');
  if (protocolType !== 'HTTP')
    throw apiErrors.badRequest('Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]');
  const selection = input.string('routeSelectionExpression') ?? ROUTE_SELECTION;
  if (selection !== ROUTE_SELECTION)
    throw apiErrors.badRequest(`An HTTP API's routeSelectionExpression can only be ${ROUTE_SELECTION}.`);
  const description = input.string('description');
  const version = input.string('version');
  const disableSchemaValidation = input.boolean('disableSchemaValidation');
  const api: ApiRecord = {
    apiId: model.newApiId(),
    region: model.region,
    name,
    protocolType,
    routeSelectionExpression: selection,
    apiKeySelectionExpression: input.string('apiKeySelectionExpression') ?? '$request.header.x-api-key',
    createdDate: isoNow(),
    disableExecuteApiEndpoint: input.boolean('disableExecuteApiEndpoint') ?? false,
    ipAddressType: input.string('ipAddressType') ?? 'ipv4',
    ...(description !== undefined && { description }),
    ...(version !== undefined && { version }),
    ...(disableSchemaValidation !== undefined && { disableSchemaValidation }),
    ...(input.has('corsConfiguration') && {
      corsConfiguration: validateCors(input.raw['corsConfiguration']),
    }),
    tags: input.stringMap('tags') ?? {},
    routes: {},
    integrations: {},
    stages: {},
    deployments: {},
  };
  const target = input.string('target');
  if (target !== undefined) quickCreate(api, input, target);
  else if (input.has('routeKey'))
    throw apiErrors.badRequest('routeKey is only used with target (quick create).');
  await model.save(api);
  sendJson(ctx, 201, toApi(ctx, api));
}

/**
 * Quick create: a Lambda proxy integration (payload 2.0), a route (`$default` unless
 * `routeKey` says otherwise) and an auto-deploying `$default` stage, all API Gateway-managed.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop.html#http-api-examples.cli.quick-create
 */
function quickCreate(api: ApiRecord, input: Input, target: string): void {
  const routeKey = input.string('routeKey') ?? '$default';
  checkRouteKey(api, routeKey);
  const integration = {
    ...integrationFrom(
      api,
      Input.of({ integrationType: 'AWS_PROXY', integrationUri: target, payloadFormatVersion: '2.0' }),
    ),
    apiGatewayManaged: true,
  };
  api.integrations[integration.integrationId] = integration;
  const routeId = newId(api.routes);
  api.routes[routeId] = {
    routeId,
    routeKey,
    target: `integrations/${integration.integrationId}`,
    authorizationType: 'NONE',
    apiKeyRequired: false,
    apiGatewayManaged: true,
  };
  api.stages['$default'] = newStage('$default', { autoDeploy: true, apiGatewayManaged: true });
  activate(api, '$default', deploy(api, { autoDeployed: true }).deploymentId);
}

/** GetApi. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html */
export async function getApi({ ctx, model, params }: Call): Promise<void> {
  sendJson(ctx, 200, toApi(ctx, model.require(params['apiId']!)));
}

/** GetApis. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html */
export async function getApis({ ctx, model }: Call): Promise<void> {
  sendJson(
    ctx,
    200,
    page(
      ctx,
      model.list().map((api) => toApi(ctx, api)),
    ),
  );
}

/** UpdateApi: given members replace the stored ones (a given corsConfiguration replaces the whole configuration). https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html */
export async function updateApi({ ctx, model, params }: Call): Promise<void> {
  const input = await Input.read(ctx);
  // Read, change and save with no await in between: concurrent updates cannot interleave.
  const next: ApiRecord = structuredClone(model.require(params['apiId']!));
  if (input.has('name')) next.name = input.requiredString('name');
  for (const key of ['description', 'version'] as const) {
    const value = input.string(key);
    if (value !== undefined) next[key] = value;
  }
  const disable = input.boolean('disableExecuteApiEndpoint');
  if (disable !== undefined) next.disableExecuteApiEndpoint = disable;
  const selection = input.string('routeSelectionExpression');
  if (selection !== undefined && selection !== ROUTE_SELECTION)
    throw apiErrors.badRequest(`An HTTP API's routeSelectionExpression can only be ${ROUTE_SELECTION}.`);
  // UNVERIFIED: whether AWS merges a partial corsConfiguration into the stored one; we replace it.
  if (input.has('corsConfiguration')) next.corsConfiguration = validateCors(input.raw['corsConfiguration']);
  const target = input.string('target');
  if (target !== undefined) {
    const managed = Object.values(next.integrations).find((i) => i.apiGatewayManaged);
    if (!managed) throw apiErrors.badRequest('target can only be updated on an API made by quick create.');
    next.integrations[managed.integrationId] = integrationFrom(
      next,
      Input.of({ integrationUri: target }),
      managed,
    );
  }
  autoDeploy(next);
  await model.save(next);
  sendJson(ctx, 200, toApi(ctx, next));
}

/** DeleteApi. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html */
export async function deleteApi({ ctx, model, params }: Call): Promise<void> {
  await model.remove(params['apiId']!);
  ctx.send(204, { 'x-amzn-RequestId': ctx.id });
}

/** DeleteCorsConfiguration. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-cors.html */
export async function deleteCorsConfiguration({ ctx, model, params }: Call): Promise<void> {
  const api = structuredClone(model.require(params['apiId']!));
  delete api.corsConfiguration;
  autoDeploy(api);
  await model.save(api);
  ctx.send(204, { 'x-amzn-RequestId': ctx.id });
}
