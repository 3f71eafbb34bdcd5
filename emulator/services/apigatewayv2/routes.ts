import { AwsError } from '../../core/aws-error.ts';
import type { RequestContext } from '../../core/context.ts';
import type { Operation } from '../../core/env.ts';
import { safeDecode } from '../../core/query-string.ts';
import type { Call } from './call.ts';
import * as apis from './handlers-apis.ts';
import * as routes from './handlers-routes.ts';
import * as stages from './handlers-stages.ts';
import * as tags from './handlers-tags.ts';
import type { ApiModel } from './model.ts';

type Handler = (call: Call) => Promise<void>;

/** The control-plane operations: method, path below `/v2/` (`:label` segments), AWS name, handler. */
const TABLE: Array<[string, string, string, Handler]> = [
  ['POST', 'apis', 'CreateApi', apis.createApi],
  ['GET', 'apis', 'GetApis', apis.getApis],
  ['GET', 'apis/:apiId', 'GetApi', apis.getApi],
  ['PATCH', 'apis/:apiId', 'UpdateApi', apis.updateApi],
  ['DELETE', 'apis/:apiId', 'DeleteApi', apis.deleteApi],
  ['DELETE', 'apis/:apiId/cors', 'DeleteCorsConfiguration', apis.deleteCorsConfiguration],
  ['POST', 'apis/:apiId/routes', 'CreateRoute', routes.createRoute],
  ['GET', 'apis/:apiId/routes', 'GetRoutes', routes.getRoutes],
  ['GET', 'apis/:apiId/routes/:routeId', 'GetRoute', routes.getRoute],
  ['PATCH', 'apis/:apiId/routes/:routeId', 'UpdateRoute', routes.updateRoute],
  ['DELETE', 'apis/:apiId/routes/:routeId', 'DeleteRoute', routes.deleteRoute],
  ['POST', 'apis/:apiId/integrations', 'CreateIntegration', routes.createIntegration],
  ['GET', 'apis/:apiId/integrations', 'GetIntegrations', routes.getIntegrations],
  ['GET', 'apis/:apiId/integrations/:integrationId', 'GetIntegration', routes.getIntegration],
  ['PATCH', 'apis/:apiId/integrations/:integrationId', 'UpdateIntegration', routes.updateIntegration],
  ['DELETE', 'apis/:apiId/integrations/:integrationId', 'DeleteIntegration', routes.deleteIntegration],
  ['POST', 'apis/:apiId/stages', 'CreateStage', stages.createStage],
  ['GET', 'apis/:apiId/stages', 'GetStages', stages.getStages],
  ['GET', 'apis/:apiId/stages/:stageName', 'GetStage', stages.getStage],
  ['PATCH', 'apis/:apiId/stages/:stageName', 'UpdateStage', stages.updateStage],
  ['DELETE', 'apis/:apiId/stages/:stageName', 'DeleteStage', stages.deleteStage],
  ['POST', 'apis/:apiId/deployments', 'CreateDeployment', stages.createDeployment],
  ['GET', 'apis/:apiId/deployments', 'GetDeployments', stages.getDeployments],
  ['GET', 'apis/:apiId/deployments/:deploymentId', 'GetDeployment', stages.getDeployment],
  ['GET', 'tags/:resourceArn', 'GetTags', tags.getTags],
  ['POST', 'tags/:resourceArn', 'TagResource', tags.tagResource],
  ['DELETE', 'tags/:resourceArn', 'UntagResource', tags.untagResource],
];

const PATTERNS = TABLE.map(([method, path, name, handler]) => ({
  method,
  parts: path.split('/'),
  name,
  handler,
}));

/**
 * Finds the operation for a request to `/v2/…`. IAM authorizes API Gateway management as
 * `apigateway:<HTTP method>` on `arn:aws:apigateway:<region>::/<path>`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
 */
export function resolveOperation(ctx: RequestContext, model: ApiModel): Operation {
  const raw = ctx.rawPath.startsWith('/v2/') ? ctx.rawPath.slice(4).replace(/\/$/, '') : undefined;
  const segments = raw?.split('/').map(safeDecode) ?? [];
  for (const pattern of PATTERNS) {
    if (pattern.parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.parts.every((part, i) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = segments[i]!;
        return segments[i] !== '';
      }
      return part === segments[i];
    });
    if (!matches) continue;
    if (pattern.method !== ctx.method) continue;
    return {
      name: pattern.name,
      authorization: {
        action: `apigateway:${ctx.method}`,
        resource: `arn:aws:apigateway:${ctx.region}::/${segments.join('/')}`,
      },
      run: () => pattern.handler({ ctx, model: model.inRegion(ctx.region), params }),
    };
  }
  // UNVERIFIED: what AWS answers for a path no operation has.
  throw new AwsError(
    'NotFoundException',
    `No API Gateway V2 operation matches ${ctx.method} ${ctx.rawPath}.`,
    {
      status: 404,
    },
  );
}
