import { apiErrors } from './errors.ts';
import type { Input } from './input.ts';
import { isoNow, newId } from './model.ts';
import { conflictingVariable, parseRouteKey } from './route-key.ts';
import type { ApiRecord, IntegrationRecord, RouteRecord, StageRecord } from './types.ts';

/** The rules of routes, integrations and stages: building records from requests and checking them. */

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;
const INVOKE_URI =
  /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;
const STAGE_NAME = /^(\$default|[A-Za-z0-9_-]{1,128})$/;

/** The Lambda function ARN behind an AWS_PROXY integration URI (plain ARN or the invocation-path form). */
export function lambdaArnOf(uri: string): string | undefined {
  const invoke = INVOKE_URI.exec(uri);
  const arn = invoke ? invoke[1]! : uri;
  return LAMBDA_ARN.test(arn) ? arn : undefined;
}

/** Checks a route key for `api`: well formed, not taken, no conflicting path variable. */
export function checkRouteKey(api: ApiRecord, routeKey: string, ignoreRouteId?: string): void {
  const parsed = parseRouteKey(routeKey);
  if ('error' in parsed) throw apiErrors.badRequest(`Invalid route key "${routeKey}": ${parsed.error}.`);
  for (const other of Object.values(api.routes)) {
    if (other.routeId === ignoreRouteId) continue;
    // UNVERIFIED message; the 409 status for a clashing route is AWS's.
    if (other.routeKey === routeKey)
      throw apiErrors.conflict(`Route with key ${routeKey} already exists for this API`);
    const theirs = parseRouteKey(other.routeKey);
    if (
      parsed.kind === 'path' &&
      !('error' in theirs) &&
      theirs.kind === 'path' &&
      conflictingVariable(parsed.segments, theirs.segments)
    )
      throw apiErrors.conflict(
        `The provided route key "${routeKey}" has a conflicting variable on the same hierarchical level as "${other.routeKey}"`,
      );
  }
}

/** A route target is `integrations/{integrationId}` of this API. */
export function checkTarget(api: ApiRecord, target: string): void {
  const id = /^integrations\/([a-z0-9]+)$/.exec(target)?.[1];
  if (!id || !api.integrations[id])
    throw apiErrors.badRequest(
      `Invalid target ${target}: use integrations/<integrationId> of an integration of this API.`,
    );
}

/** A route from CreateRoute (or, with `existing`, the route UpdateRoute leaves). */
export function routeFrom(api: ApiRecord, input: Input, existing?: RouteRecord): RouteRecord {
  const routeKey = existing
    ? (input.string('routeKey') ?? existing.routeKey)
    : input.requiredString('routeKey');
  if (routeKey !== existing?.routeKey) checkRouteKey(api, routeKey, existing?.routeId);
  const target = input.string('target') ?? existing?.target;
  if (target !== undefined && target !== existing?.target) checkTarget(api, target);
  const authorizationType = input.string('authorizationType') ?? existing?.authorizationType ?? 'NONE';
  if (authorizationType !== 'NONE')
    throw apiErrors.badRequest(
      `The local AWS does not emulate ${authorizationType} route authorization; use NONE.`,
    );
  const scopes = input.stringList('authorizationScopes') ?? existing?.authorizationScopes;
  const operationName = input.string('operationName') ?? existing?.operationName;
  return {
    routeId: existing?.routeId ?? newId(api.routes),
    routeKey,
    apiKeyRequired: input.boolean('apiKeyRequired') ?? existing?.apiKeyRequired ?? false,
    authorizationType,
    ...(scopes && { authorizationScopes: scopes }),
    ...(operationName !== undefined && { operationName }),
    ...(target !== undefined && { target }),
    ...(existing?.apiGatewayManaged && { apiGatewayManaged: true }),
  };
}

/** An integration from CreateIntegration (or, with `existing`, the one UpdateIntegration leaves). */
export function integrationFrom(
  api: ApiRecord,
  input: Input,
  existing?: IntegrationRecord,
): IntegrationRecord {
  const integrationType = existing
    ? (input.string('integrationType') ?? existing.integrationType)
    : input.requiredString('integrationType');
  if (integrationType !== 'AWS_PROXY' && integrationType !== 'HTTP_PROXY')
    throw apiErrors.badRequest(
      'Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)',
    );
  if (integrationType === 'HTTP_PROXY')
    throw apiErrors.badRequest(
      'The local AWS emulates AWS_PROXY (Lambda) integrations only; HTTP_PROXY is not supported.',
    );
  const integrationUri = input.string('integrationUri') ?? existing?.integrationUri;
  if (!integrationUri || !lambdaArnOf(integrationUri))
    throw apiErrors.badRequest(
      `Invalid integrationUri ${integrationUri ?? '(missing)'}: an AWS_PROXY integration needs a Lambda function ARN, e.g. arn:aws:lambda:us-east-1:000000000000:function:my-function.`,
    );
  const payloadFormatVersion = input.string('payloadFormatVersion') ?? existing?.payloadFormatVersion;
  if (payloadFormatVersion !== '1.0' && payloadFormatVersion !== '2.0')
    throw apiErrors.badRequest(
      `payloadFormatVersion must be specified for an HTTP API's Lambda integration: 1.0 or 2.0 (got ${payloadFormatVersion ?? 'none'}).`,
    );
  const timeoutInMillis = input.integer('timeoutInMillis') ?? existing?.timeoutInMillis ?? 30000;
  if (timeoutInMillis < 50 || timeoutInMillis > 30000)
    throw apiErrors.badRequest('timeoutInMillis must be between 50 and 30000 for an HTTP API.');
  const description = input.string('description') ?? existing?.description;
  const requestParameters = input.stringMap('requestParameters') ?? existing?.requestParameters;
  return {
    integrationId: existing?.integrationId ?? newId(api.integrations),
    integrationType,
    integrationUri,
    integrationMethod: input.string('integrationMethod') ?? existing?.integrationMethod ?? 'POST',
    payloadFormatVersion,
    timeoutInMillis,
    connectionType: input.string('connectionType') ?? existing?.connectionType ?? 'INTERNET',
    ...(description !== undefined && { description }),
    ...(requestParameters && { requestParameters }),
    ...(existing?.apiGatewayManaged && { apiGatewayManaged: true }),
  };
}

export function checkStageName(api: ApiRecord, stageName: string): void {
  if (!STAGE_NAME.test(stageName))
    throw apiErrors.badRequest(
      `Invalid stage name ${stageName}: use $default or 1-128 letters, digits, hyphens and underscores.`,
    );
  // UNVERIFIED message; a duplicate stage is a conflict.
  if (api.stages[stageName]) throw apiErrors.conflict(`Stage ${stageName} already exists`);
}

export function newStage(stageName: string, options: Partial<StageRecord> = {}): StageRecord {
  const now = isoNow();
  return {
    stageName,
    autoDeploy: false,
    createdDate: now,
    lastUpdatedDate: now,
    stageVariables: {},
    tags: {},
    ...options,
  };
}
