#!/usr/bin/env tsx
/**
 * `npm run deploy -- [--local] [--stage baseline|solution] [--name PREFIX] [--region R]
 * [--profile P] [--origin URL] [--outputs FILE]`: creates or updates the lab's stack and
 * writes the outputs file that the checker, the lab page and the smoke test read.
 */
import { OUTPUTS_FILE, type LabOutputs } from '../checks/lib/outputs.ts';
import { isReadCall, type CallRecord } from './lib/calls.ts';
import { flagString, isMain, parseFlags, printChange, printNote, runCli, summary } from './lib/cli.ts';
import type { Change } from './lib/context.ts';
import { usageError } from './lib/errors.ts';
import { buildOutputs, writeOutputs } from './lib/outputs.ts';
import { deployPlan, runResources, STAGES, type Stage } from './lib/plan.ts';
import { settleIam, withSession, type SessionOptions } from './lib/session.ts';
import { describeTarget } from './lib/describe.ts';
import { waitUntilApplied } from './lib/ready.ts';

export interface DeployOptions extends SessionOptions {
  stage?: Stage;
  /** Where to write the outputs (default `.lab/outputs.json`); `false` writes nothing. */
  outputsFile?: string | false;
  onChange?: (change: Change) => void;
}

export interface DeployResult {
  stage: Stage;
  outputs: LabOutputs;
  outputsFile: string | undefined;
  changes: Change[];
  /** Every AWS call made, and those that wrote: none when the stack was already as wanted. */
  calls: CallRecord[];
  writes: CallRecord[];
}

export async function deploy(opts: DeployOptions = {}): Promise<DeployResult> {
  const stage = opts.stage ?? 'baseline';
  if (!STAGES.includes(stage))
    throw usageError(`--stage must be baseline or solution, not "${String(stage)}".`);
  return withSession(opts, async (ctx) => {
    opts.onNote?.(`deploy ${ctx.names.prefix} (${stage}) → ${describeTarget(ctx.target)}`);
    const changes = await runResources(ctx, deployPlan(stage), opts.onChange);
    await waitUntilApplied(ctx, changes, opts.onNote);
    await settleIam(ctx, opts.onNote);
    const outputs = buildOutputs(ctx, stage);
    const outputsFile = opts.outputsFile === false ? undefined : (opts.outputsFile ?? OUTPUTS_FILE);
    if (outputsFile) await writeOutputs(outputsFile, outputs);
    const calls = [...ctx.clients.calls];
    return { stage, outputs, outputsFile, changes, calls, writes: calls.filter((c) => !isReadCall(c)) };
  });
}

const HELP = `Usage: npm run deploy -- [options]

Creates or updates the lab's stack; a second run changes nothing. Writes .lab/outputs.json.

  --stage baseline|solution  baseline (default): the stack before this lesson (private bucket,
                             metadata pipeline, GET /files). Deploying it over a solved stack
                             undoes the lab's steps. solution: baseline + every lab step.
  --local                    the local AWS at http://localhost:4566 (credentials test/test)
  --name PREFIX              resource-name prefix (default upload-lab)
  --region R                 AWS region (default: AWS_REGION / your profile; us-east-1 locally)
  --profile P                AWS profile for credentials and region
  --origin URL               frontend origin the CORS settings allow (default http://localhost:5173)
  --outputs FILE             where to write the outputs (default .lab/outputs.json)
  -h, --help                 this text

AWS_ENDPOINT_URL is honoured like --local with that endpoint.
Exit codes: 0 done, 1 failed, 2 usage or setup problem (credentials, region, endpoint).`;

export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    boolean: ['local'],
    string: ['stage', 'name', 'region', 'profile', 'origin', 'outputs', 'endpoint'],
  });
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (flags._.length) throw usageError(`unexpected argument "${flags._[0]}".`);
  const opts: DeployOptions = { local: flags.local === true, onChange: printChange, onNote: printNote };
  const stage = flagString(flags, 'stage');
  if (stage !== undefined) opts.stage = stage as Stage;
  for (const key of ['name', 'region', 'profile', 'origin', 'endpoint'] as const) {
    const value = flagString(flags, key);
    if (value !== undefined) opts[key] = value;
  }
  const outputs = flagString(flags, 'outputs');
  if (outputs !== undefined) opts.outputsFile = outputs;
  const result = await deploy(opts);
  printNote(`${summary(result.changes)}; outputs in ${result.outputsFile ?? '(not written)'}`);
  printNote(`API: ${result.outputs.apiEndpoint}   bucket: ${result.outputs.bucket}`);
}

if (isMain(import.meta.url)) await runCli(() => main(process.argv.slice(2)));
