import {
  CreateFunctionCommand,
  GetFunctionCommand,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type GetFunctionCommandOutput,
} from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAwsError } from '../aws-errors.ts';
import { bundleFunction } from '../bundle.ts';
import { change, type Change, type RunContext } from '../context.ts';
import { FUNCTION_DIRS, type FunctionKey } from '../names.ts';
import { sameJson } from './json.ts';
import { requireRole } from './require.ts';
import { hasMissing, missingTags } from './tags.ts';

export const FUNCTION_SETTINGS = {
  Runtime: 'nodejs20.x',
  Handler: 'index.handler',
  Timeout: 10,
  MemorySize: 256,
} as const;

async function getFunction(
  ctx: RunContext,
  FunctionName: string,
): Promise<GetFunctionCommandOutput | undefined> {
  try {
    return await ctx.clients.lambda.send(new GetFunctionCommand({ FunctionName }));
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}

function waiter(ctx: RunContext): {
  client: RunContext['clients']['lambda'];
  minDelay: number;
  maxDelay: number;
  maxWaitTime: number;
} {
  // The local AWS settles at once; the first poll is immediate either way.
  return ctx.waitForIam
    ? { client: ctx.clients.lambda, minDelay: 1, maxDelay: 5, maxWaitTime: 300 }
    : { client: ctx.clients.lambda, minDelay: 0.1, maxDelay: 0.5, maxWaitTime: 60 };
}

/** A new role is not usable by Lambda for some seconds on real AWS: CreateFunction says so, and we retry. */
const ROLE_NOT_READY = /cannot be assumed by Lambda|role defined for the function/i;

/**
 * One of the lab's functions, from `solution/functions/<dir>/index.ts`: created, or its code
 * (by CodeSha256), configuration and tags brought up to date.
 */
export async function ensureFunction(
  ctx: RunContext,
  key: FunctionKey,
  env: Record<string, string>,
): Promise<Change> {
  const { lambda } = ctx.clients;
  const FunctionName = ctx.names.functions[key];
  const Role = await requireRole(ctx, key);
  const bundle = await bundleFunction(FUNCTION_DIRS[key]);
  const existing = await getFunction(ctx, FunctionName);
  const settings = { ...FUNCTION_SETTINGS, Role, Environment: { Variables: env } };

  if (!existing?.Configuration) {
    const input = { FunctionName, ...settings, Code: { ZipFile: bundle.zip }, Tags: ctx.names.tags };
    for (let attempt = 1; ; attempt += 1) {
      try {
        const out = await lambda.send(new CreateFunctionCommand(input));
        if (out.FunctionArn) ctx.found.functionArns[key] = out.FunctionArn;
        break;
      } catch (err) {
        const retry =
          isAwsError(err, 'InvalidParameterValueException') &&
          ROLE_NOT_READY.test(String((err as Error).message));
        if (!retry || attempt >= (ctx.waitForIam ? 12 : 3)) throw err;
        if (ctx.waitForIam) await sleep(Math.min(2000 * attempt, 10_000));
      }
    }
    await waitUntilFunctionActiveV2(waiter(ctx), { FunctionName });
    return change('function', FunctionName, 'created');
  }

  const config = existing.Configuration;
  if (config.FunctionArn) ctx.found.functionArns[key] = config.FunctionArn;
  const updated: string[] = [];
  if (config.State === 'Pending' || config.LastUpdateStatus === 'InProgress') {
    await waitUntilFunctionUpdatedV2(waiter(ctx), { FunctionName });
  }
  if (config.CodeSha256 !== bundle.sha256) {
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ZipFile: bundle.zip }));
    await waitUntilFunctionUpdatedV2(waiter(ctx), { FunctionName });
    updated.push('code');
  }
  const drift =
    config.Runtime !== settings.Runtime ||
    config.Handler !== settings.Handler ||
    config.Timeout !== settings.Timeout ||
    config.MemorySize !== settings.MemorySize ||
    config.Role !== Role ||
    !sameJson(config.Environment?.Variables ?? {}, env);
  if (drift) {
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, ...settings }));
    await waitUntilFunctionUpdatedV2(waiter(ctx), { FunctionName });
    updated.push('configuration');
  }
  const missing = missingTags(existing.Tags, ctx.names.tags);
  if (hasMissing(missing) && config.FunctionArn) {
    await lambda.send(new TagResourceCommand({ Resource: config.FunctionArn, Tags: missing }));
    updated.push('tags');
  }
  return updated.length
    ? change('function', FunctionName, 'updated', updated.join(', '))
    : change('function', FunctionName, 'unchanged');
}
