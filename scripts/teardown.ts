#!/usr/bin/env tsx
/**
 * `npm run teardown -- [--local] [--name PREFIX]`: deletes the lab's stack, bucket contents
 * included, and says what it removed. Idempotent; works on a half-built or half-deleted stack.
 */
import { rm } from 'node:fs/promises';
import { DeleteApiCommand } from '@aws-sdk/client-apigatewayv2';
import { OUTPUTS_FILE } from '../checks/lib/outputs.ts';
import { isAwsError } from './lib/aws-errors.ts';
import type { CallRecord } from './lib/calls.ts';
import { flagString, isMain, parseFlags, printChange, printNote, runCli } from './lib/cli.ts';
import { change, type Change, type RunContext } from './lib/context.ts';
import { describeTarget } from './lib/describe.ts';
import { findLeftovers } from './lib/discover.ts';
import { usageError } from './lib/errors.ts';
import { emptyAndDeleteBucket } from './lib/resources/empty-bucket.ts';
import { deleteFunction, deleteRole } from './lib/resources/remove.ts';
import { withOutputsDefaults, withSession, type SessionOptions } from './lib/session.ts';

export interface TeardownOptions extends SessionOptions {
  /** Outputs of the deploy (default `.lab/outputs.json`): defaults for target and name, and removed when they describe this stack. */
  outputsFile?: string | false;
  onChange?: (change: Change) => void;
}

export interface TeardownResult {
  /** What was deleted; empty when nothing was left. */
  removed: Change[];
  calls: CallRecord[];
}

async function deleteApi(ctx: RunContext, api: { id: string; name: string }): Promise<Change> {
  const label = `${api.name} (${api.id})`;
  try {
    await ctx.clients.apigw.send(new DeleteApiCommand({ ApiId: api.id }));
    return change('api', label, 'deleted');
  } catch (err) {
    if (isAwsError(err, 'NotFoundException')) return change('api', label, 'unchanged', 'absent');
    throw err;
  }
}

export async function teardown(opts: TeardownOptions = {}): Promise<TeardownResult> {
  const file = opts.outputsFile === false ? undefined : (opts.outputsFile ?? OUTPUTS_FILE);
  const { opts: filled, outputs } = await withOutputsDefaults(opts, file);
  return withSession(filled, async (ctx) => {
    opts.onNote?.(`teardown ${ctx.names.prefix} → ${describeTarget(ctx.target)}`);
    const removed: Change[] = [];
    const record = (c: Change): void => {
      if (c.action !== 'deleted') return;
      removed.push(c);
      opts.onChange?.(c);
    };
    const found = await findLeftovers(ctx);
    // The API first (no more traffic), then the bucket (its notification goes with it), functions
    // (their resource policies go with them), and the roles last (functions use them).
    for (const api of found.apis) record(await deleteApi(ctx, api));
    for (const bucket of found.buckets) record(await emptyAndDeleteBucket(ctx, bucket));
    for (const name of found.functions) record(await deleteFunction(ctx, name));
    for (const name of found.roles) record(await deleteRole(ctx, name));
    const sameStack =
      outputs !== undefined &&
      outputs.name === ctx.names.prefix &&
      outputs.region === ctx.target.region &&
      outputs.endpoint === ctx.target.endpoint;
    if (file && sameStack) {
      await rm(file, { force: true });
      record(change('outputs', file, 'deleted'));
    }
    return { removed, calls: [...ctx.clients.calls] };
  });
}

const HELP = `Usage: npm run teardown -- [options]

Deletes the lab's stack: the HTTP API, the bucket with every object, the functions with their
permissions, the roles with their policies, and the outputs file. Safe to run twice.

  --local           the local AWS at http://localhost:4566
  --name PREFIX     resource-name prefix (default: from .lab/outputs.json, else upload-lab)
  --region R        AWS region        --profile P    AWS profile
  --outputs FILE    outputs file of the deploy (default .lab/outputs.json)
  -h, --help        this text

Exit codes: 0 done, 1 failed, 2 usage or setup problem.`;

export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    boolean: ['local'],
    string: ['name', 'region', 'profile', 'outputs', 'endpoint'],
  });
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (flags._.length) throw usageError(`unexpected argument "${flags._[0]}".`);
  const opts: TeardownOptions = { onChange: printChange, onNote: printNote };
  if (flags.local) opts.local = true;
  for (const key of ['name', 'region', 'profile', 'endpoint'] as const) {
    const value = flagString(flags, key);
    if (value !== undefined) opts[key] = value;
  }
  const outputs = flagString(flags, 'outputs');
  if (outputs !== undefined) opts.outputsFile = outputs;
  const result = await teardown(opts);
  const n = result.removed.length;
  printNote(n ? `removed ${n} item${n === 1 ? '' : 's'}` : 'nothing to remove');
}

if (isMain(import.meta.url)) await runCli(() => main(process.argv.slice(2)));
