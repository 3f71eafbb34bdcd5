import {
  CreateApiCommand,
  CreateStageCommand,
  DeleteCorsConfigurationCommand,
  GetApiCommand,
  GetStageCommand,
  TagResourceCommand,
  UpdateApiCommand,
  UpdateStageCommand,
  type Cors,
} from '@aws-sdk/client-apigatewayv2';
import { isAwsError } from '../aws-errors.ts';
import { change, type Change, type RunContext } from '../context.ts';
import { findApis, requireApi } from './require.ts';
import { hasMissing, missingTags } from './tags.ts';

export const apiArn = (ctx: RunContext, apiId: string): string =>
  `arn:${ctx.target.partition}:apigateway:${ctx.target.region}::/apis/${apiId}`;

/** The HTTP API `<prefix>-api`, created without CORS (the `api-cors` resource sets that) and tagged. */
export async function ensureApi(ctx: RunContext): Promise<Change> {
  const { apigw } = ctx.clients;
  const [api] = await findApis(ctx);
  if (!api?.ApiId) {
    const out = await apigw.send(
      new CreateApiCommand({
        Name: ctx.names.api,
        ProtocolType: 'HTTP',
        Description: 'Presigned upload lab: GET /files (and, after the lab, POST /upload-url)',
        Tags: ctx.names.tags,
      }),
    );
    ctx.found.apiId = out.ApiId ?? '';
    if (out.ApiEndpoint) ctx.found.apiEndpoint = out.ApiEndpoint;
    return change('api', `${ctx.names.api} (${out.ApiId})`, 'created');
  }
  ctx.found.apiId = api.ApiId;
  if (api.ApiEndpoint) ctx.found.apiEndpoint = api.ApiEndpoint;
  const missing = missingTags(api.Tags, ctx.names.tags);
  if (hasMissing(missing)) {
    await apigw.send(new TagResourceCommand({ ResourceArn: apiArn(ctx, api.ApiId), Tags: missing }));
    return change('api', `${ctx.names.api} (${api.ApiId})`, 'updated', 'tags');
  }
  return change('api', `${ctx.names.api} (${api.ApiId})`, 'unchanged');
}

const lower = (list: string[] | undefined): string[] => (list ?? []).map((v) => v.toLowerCase()).sort();
const upper = (list: string[] | undefined): string[] => (list ?? []).map((v) => v.toUpperCase()).sort();

/** CORS as API Gateway means it: header and method names are case-insensitive, order is not significant. */
function canonicalCors(cors: Cors | undefined): string {
  return JSON.stringify({
    origins: lower(cors?.AllowOrigins),
    methods: upper(cors?.AllowMethods),
    headers: lower(cors?.AllowHeaders),
    expose: lower(cors?.ExposeHeaders),
    maxAge: cors?.MaxAge ?? null,
    credentials: cors?.AllowCredentials ?? false,
  });
}

function droppedFields(have: Cors, want: Cors): boolean {
  const isSet = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== false);
  return (Object.keys(have) as Array<keyof Cors>).some((k) => isSet(have[k]) && !isSet(want[k]));
}

/** Sets the API's CorsConfiguration to exactly `cors`. */
export async function ensureApiCors(ctx: RunContext, cors: Cors): Promise<Change> {
  const ApiId = await requireApi(ctx);
  const { apigw } = ctx.clients;
  const have = (await apigw.send(new GetApiCommand({ ApiId }))).CorsConfiguration;
  const label = `${ctx.names.api} (${ApiId})`;
  if (have && canonicalCors(have) === canonicalCors(cors)) return change('api-cors', label, 'unchanged');
  // UpdateApi sets the fields it is given; a field to drop (e.g. AllowHeaders when going back to
  // the baseline) needs the configuration cleared first.
  if (have && droppedFields(have, cors)) await apigw.send(new DeleteCorsConfigurationCommand({ ApiId }));
  await apigw.send(new UpdateApiCommand({ ApiId, CorsConfiguration: cors }));
  const summary = `${upper(cors.AllowMethods).join(',')} from ${(cors.AllowOrigins ?? []).join(',')}`;
  return change('api-cors', label, have ? 'updated' : 'created', summary);
}

/** The `$default` stage with auto-deploy, so every route change is live at once. */
export async function ensureStage(ctx: RunContext): Promise<Change> {
  const ApiId = await requireApi(ctx);
  const { apigw } = ctx.clients;
  const StageName = '$default';
  try {
    const stage = await apigw.send(new GetStageCommand({ ApiId, StageName }));
    if (stage.AutoDeploy) return change('stage', `${ctx.names.api} $default`, 'unchanged');
    await apigw.send(new UpdateStageCommand({ ApiId, StageName, AutoDeploy: true }));
    return change('stage', `${ctx.names.api} $default`, 'updated', 'auto-deploy');
  } catch (err) {
    if (!isAwsError(err, 'NotFoundException')) throw err;
  }
  await apigw.send(new CreateStageCommand({ ApiId, StageName, AutoDeploy: true, Tags: ctx.names.tags }));
  return change('stage', `${ctx.names.api} $default`, 'created');
}
