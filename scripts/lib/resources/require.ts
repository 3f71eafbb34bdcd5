import { GetApisCommand, type Api } from '@aws-sdk/client-apigatewayv2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { isAwsError } from '../aws-errors.ts';
import type { RunContext } from '../context.ts';
import { LabError } from '../errors.ts';
import type { FunctionKey } from '../names.ts';
import { bucketState } from './bucket.ts';

const DEPLOY_FIRST =
  'Deploy the baseline first: npm run deploy -- --stage baseline (add --local for the local AWS).';
const fixFor = (key: FunctionKey): string =>
  key === 'uploadTicket' ? 'Apply that step first: npm run solve -- ticket-function.' : DEPLOY_FIRST;

export async function requireBucket(ctx: RunContext): Promise<void> {
  if ((await bucketState(ctx)) === 'missing') {
    throw new LabError('LAB_NOT_DEPLOYED', `bucket ${ctx.names.bucket} does not exist. ${DEPLOY_FIRST}`);
  }
}

/** The function's ARN, or `undefined` when it does not exist. */
export async function findFunctionArn(ctx: RunContext, key: FunctionKey): Promise<string | undefined> {
  const known = ctx.found.functionArns[key];
  if (known) return known;
  try {
    const out = await ctx.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: ctx.names.functions[key] }),
    );
    const arn = out.Configuration?.FunctionArn;
    if (arn) ctx.found.functionArns[key] = arn;
    return arn;
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}

export async function requireFunctionArn(ctx: RunContext, key: FunctionKey): Promise<string> {
  const arn = await findFunctionArn(ctx, key);
  if (!arn)
    throw new LabError(
      'LAB_NOT_DEPLOYED',
      `function ${ctx.names.functions[key]} does not exist. ${fixFor(key)}`,
    );
  return arn;
}

export async function requireRole(ctx: RunContext, key: FunctionKey): Promise<string> {
  const known = ctx.found.roleArns[key];
  if (known) return known;
  try {
    const out = await ctx.clients.iam.send(new GetRoleCommand({ RoleName: ctx.names.roles[key] }));
    const arn = out.Role?.Arn ?? '';
    ctx.found.roleArns[key] = arn;
    return arn;
  } catch (err) {
    if (!isAwsError(err, 'NoSuchEntity')) throw err;
    throw new LabError('LAB_NOT_DEPLOYED', `role ${ctx.names.roles[key]} does not exist. ${fixFor(key)}`, {
      cause: err,
    });
  }
}

/** Every HTTP API with this exact name (normally one). */
export async function findApis(ctx: RunContext, name = ctx.names.api): Promise<Api[]> {
  const found: Api[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.apigw.send(
      new GetApisCommand({ ...(NextToken ? { NextToken } : {}), MaxResults: '100' }),
    );
    found.push(...(page.Items ?? []).filter((api) => api.Name === name));
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

export async function requireApi(ctx: RunContext): Promise<string> {
  if (ctx.found.apiId) return ctx.found.apiId;
  const [api] = await findApis(ctx);
  if (!api?.ApiId)
    throw new LabError('LAB_NOT_DEPLOYED', `HTTP API ${ctx.names.api} does not exist. ${DEPLOY_FIRST}`);
  ctx.found.apiId = api.ApiId;
  if (api.ApiEndpoint) ctx.found.apiEndpoint = api.ApiEndpoint;
  return api.ApiId;
}
