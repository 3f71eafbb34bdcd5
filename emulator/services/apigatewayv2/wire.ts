import type { RequestContext } from '../../core/context.ts';
import { apiErrors } from './errors.ts';
import type { ApiRecord, DeploymentRecord, IntegrationRecord, RouteRecord, StageRecord } from './types.ts';

/**
 * The API's endpoint follows the emulator's own URL, as the client reached it (contracts.md):
 * the `$default` stage is served at this root, a named stage under `/{stageName}`. AWS's
 * (`https://{apiId}.execute-api.{region}.amazonaws.com`) names the API's region; this path-based
 * one names none, so it is the same from every region. Where the local AWS does name an API's
 * region (the events' `domainName`, the execute-api SourceArn), it is the API's own `region`.
 */
export const apiEndpoint = (ctx: RequestContext, apiId: string): string =>
  `${ctx.baseUrl}/_aws/execute-api/${apiId}`;

/** `Api` as CreateApi/GetApi/GetApis/UpdateApi return it. */
export function toApi(ctx: RequestContext, api: ApiRecord): Record<string, unknown> {
  return {
    apiEndpoint: apiEndpoint(ctx, api.apiId),
    apiId: api.apiId,
    apiKeySelectionExpression: api.apiKeySelectionExpression,
    ...(api.corsConfiguration && { corsConfiguration: api.corsConfiguration }),
    createdDate: api.createdDate,
    ...(api.description !== undefined && { description: api.description }),
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    ...(api.disableSchemaValidation !== undefined && {
      disableSchemaValidation: api.disableSchemaValidation,
    }),
    ipAddressType: api.ipAddressType,
    name: api.name,
    protocolType: api.protocolType,
    routeSelectionExpression: api.routeSelectionExpression,
    tags: api.tags,
    ...(api.version !== undefined && { version: api.version }),
  };
}

export const toRoute = (route: RouteRecord): Record<string, unknown> => ({ ...route });

export const toIntegration = (integration: IntegrationRecord): Record<string, unknown> => ({
  ...integration,
});

export function toStage(stage: StageRecord): Record<string, unknown> {
  return {
    ...stage,
    defaultRouteSettings: { detailedMetricsEnabled: false },
    routeSettings: {},
  };
}

export function toDeployment(deployment: DeploymentRecord): Record<string, unknown> {
  const { snapshot: _snapshot, ...rest } = deployment;
  return rest;
}

/** One page of `items` per `maxResults` / `nextToken` (an opaque offset). */
export function page<T>(ctx: RequestContext, items: T[]): { items: T[]; nextToken?: string } {
  const max = ctx.query.get('maxResults');
  const token = ctx.query.get('nextToken');
  const size = max === undefined ? 1000 : Number(max);
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    throw apiErrors.badRequest('maxResults must be an integer from 1 to 1000.');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw apiErrors.badRequest('Invalid pagination token.');
  const slice = items.slice(start, start + size);
  const next =
    start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return next === undefined ? { items: slice } : { items: slice, nextToken: next };
}
