import { sendJson } from '../../protocols/rest-json.ts';
import type { Call } from './call.ts';
import { apiErrors } from './errors.ts';
import { Input } from './input.ts';
import type { ApiRecord } from './types.ts';

const TAGGABLE = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/apis\/([a-z0-9]+)(?:\/stages\/([^/]+))?$/;

/** The tag map of the API or stage an ARN names (`arn:aws:apigateway:<region>::/apis/<id>[/stages/<name>]`). */
function tagsOf(api: ApiRecord, stageName: string | undefined, arn: string): Record<string, string> {
  if (stageName === undefined) return api.tags;
  const stage = api.stages[stageName];
  if (!stage) throw apiErrors.resourceNotFound(arn);
  return stage.tags;
}

/**
 * The API (of the request's region) and stage an ARN names. An ARN naming another region than
 * the request's, or an API of another region, names nothing here [UNVERIFIED: AWS's answer to
 * an ARN of another region; we give the unknown-resource one].
 */
function target(call: Call): { apiId: string; stageName: string | undefined; arn: string } {
  const arn = call.params['resourceArn']!;
  const m = TAGGABLE.exec(arn);
  if (!m || m[1] !== call.model.region || !call.model.get(m[2]!)) throw apiErrors.resourceNotFound(arn);
  return { apiId: m[2]!, stageName: m[3], arn };
}

/** GetTags. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/tags-resource-arn.html */
export async function getTags(call: Call): Promise<void> {
  const { apiId, stageName, arn } = target(call);
  sendJson(call.ctx, 200, { tags: tagsOf(call.model.require(apiId), stageName, arn) });
}

/** TagResource. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/tags-resource-arn.html */
export async function tagResource(call: Call): Promise<void> {
  const input = await Input.read(call.ctx);
  const { apiId, stageName, arn } = target(call);
  const tags = input.stringMap('tags') ?? {};
  await call.model.update(apiId, (api) => Object.assign(tagsOf(api, stageName, arn), tags));
  sendJson(call.ctx, 201, {});
}

/** UntagResource. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/tags-resource-arn.html */
export async function untagResource(call: Call): Promise<void> {
  const { apiId, stageName, arn } = target(call);
  const keys = call.ctx.queryPairs.filter(([k]) => k === 'tagKeys').map(([, v]) => v);
  if (keys.length === 0) throw apiErrors.badRequest('tagKeys must be specified.');
  await call.model.update(apiId, (api) => {
    const tags = tagsOf(api, stageName, arn);
    for (const key of keys) delete tags[key];
  });
  call.ctx.send(204, { 'x-amzn-RequestId': call.ctx.id });
}
