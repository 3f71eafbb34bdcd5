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
 * Sends a CreateFunction / UpdateFunctionConfiguration that names a role, retrying AWS's
 * "role cannot be assumed" while a new role propagates (§11.1: seconds, reports up to ~30 s),
 * with bounded backoff and a progress line. The same on every target: the local AWS with
 * `--consistency aws` answers it too. A trust policy that never allows Lambda fails at the bound.
 */
async function withRoleRetry<T>(ctx: RunContext, role: string, send: () => Promise<T>): Promise<T> {
  const budgetMs = ctx.waitForIam ? 90_000 : 45_000;
  const start = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      const out = await send();
      if (attempt > 1)
        ctx.note?.(`  role usable by Lambda after ${((Date.now() - start) / 1000).toFixed(1)} s`);
      return out;
    } catch (err) {
      const retry =
        isAwsError(err, 'InvalidParameterValueException') &&
        ROLE_NOT_READY.test(String((err as Error).message));
      if (!retry || Date.now() - start > budgetMs) throw err;
      const delay = Math.min(250 * 2 ** (attempt - 1), 5000);
      if (attempt === 1)
        ctx.note?.(
          `  waiting for the new role ${role.slice(role.lastIndexOf('/') + 1)} to reach Lambda (AWS propagates IAM changes; retrying, up to ${budgetMs / 1000} s)`,
        );
      await sleep(delay);
    }
  }
}

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
    const out = await withRoleRetry(ctx, Role, () => lambda.send(new CreateFunctionCommand(input)));
    if (out.FunctionArn) ctx.found.functionArns[key] = out.FunctionArn;
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
    await withRoleRetry(ctx, Role, () =>
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, ...settings })),
    );
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
