import type { RequestContext } from '../../../core/context.ts';
import { readJson, sendJson } from '../../../protocols/rest-json.ts';
import { lambdaErrors } from '../errors.ts';
import type { FunctionRecord } from '../model.ts';
import type { LambdaState } from '../state.ts';

/** Checks a `Tags` map: string keys of 1-128 and values of 0-256 characters, at most 50. */
export function checkTags(tags: unknown): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object' || Array.isArray(tags))
    throw lambdaErrors.validation(["Value at 'tags' failed to satisfy constraint: Member must be a map"]);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
    if (key.length < 1 || key.length > 128 || typeof value !== 'string' || value.length > 256)
      throw lambdaErrors.invalidParameter(
        `Invalid tag: ${key}. Keys must be 1-128 and values 0-256 characters.`,
      );
    out[key] = value;
  }
  if (Object.keys(out).length > 50)
    throw lambdaErrors.invalidParameter('Number of tags exceeds resource tag limit.');
  return out;
}

/** TagResource: `POST /2017-03-31/tags/{ARN}` → 204. https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html */
export async function tagResource(
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  const body = await readJson<{ Tags?: unknown }>(ctx);
  const tags = checkTags(body.Tags);
  const merged = { ...record.tags, ...tags };
  if (Object.keys(merged).length > 50)
    throw lambdaErrors.invalidParameter('Number of tags exceeds resource tag limit.');
  await lambda.functions.patch(record, { tags: merged });
  sendJson(ctx, 204, undefined);
}

/** UntagResource: `DELETE /2017-03-31/tags/{ARN}?tagKeys=…` → 204. https://docs.aws.amazon.com/lambda/latest/api/API_UntagResource.html */
export async function untagResource(
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  const keys = new Set(ctx.queryPairs.filter(([k]) => k === 'tagKeys').map(([, v]) => v));
  const tags = Object.fromEntries(Object.entries(record.tags).filter(([k]) => !keys.has(k)));
  await lambda.functions.patch(record, { tags });
  sendJson(ctx, 204, undefined);
}

/** ListTags: `GET /2017-03-31/tags/{ARN}`. https://docs.aws.amazon.com/lambda/latest/api/API_ListTags.html */
export async function listTags(
  ctx: RequestContext,
  _lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  sendJson(ctx, 200, { Tags: record.tags });
}
