#!/usr/bin/env tsx
/**
 * `npm run solve -- <check-id> [--local]`: applies exactly the one lab step that a checklist row
 * verifies, onto a deployed baseline. The solution deploy runs these same steps in order.
 */
import { OUTPUTS_FILE } from '../checks/lib/outputs.ts';
import type { CallRecord } from './lib/calls.ts';
import { flagString, isMain, parseFlags, printChange, printNote, runCli, summary } from './lib/cli.ts';
import type { Change } from './lib/context.ts';
import { describeTarget } from './lib/describe.ts';
import { LabError, usageError } from './lib/errors.ts';
import { runResources } from './lib/plan.ts';
import { requireApi, requireBucket } from './lib/resources/require.ts';
import { settleIam, withOutputsDefaults, withSession, type SessionOptions } from './lib/session.ts';
import { CHECK_IDS, isCheckId, LAB_STEPS, type CheckId } from './lib/steps.ts';
import { waitUntilApplied } from './lib/ready.ts';

export interface SolveOptions extends SessionOptions {
  /** Outputs of an earlier deploy, for the defaults of target, name and origin (default `.lab/outputs.json`; `false` to ignore). */
  outputsFile?: string | false;
  onChange?: (change: Change) => void;
  /**
   * Wait until AWS applies the step's changes (default true). `false` is a student who changes
   * things by hand and checks at once: the checker's own re-checks must cope (self-test).
   */
  waitForChanges?: boolean;
}

export interface SolveResult {
  checkId: CheckId;
  changes: Change[];
  /** Set for rows that verify earlier steps and change nothing themselves. */
  note: string | undefined;
  calls: CallRecord[];
}

export async function solve(checkId: string, opts: SolveOptions = {}): Promise<SolveResult> {
  if (!isCheckId(checkId)) {
    throw new LabError(
      'LAB_UNKNOWN_CHECK',
      `"${checkId}" is not a check id. Use one of: ${CHECK_IDS.join(', ')}.`,
    );
  }
  const step = LAB_STEPS.find((s) => s.id === checkId);
  if (!step || step.resources.length === 0) {
    return { checkId, changes: [], note: step?.note, calls: [] };
  }
  const { opts: filled } = await withOutputsDefaults(
    opts,
    opts.outputsFile === false ? undefined : (opts.outputsFile ?? OUTPUTS_FILE),
  );
  return withSession(filled, async (ctx) => {
    opts.onNote?.(`solve ${checkId} on ${ctx.names.prefix} → ${describeTarget(ctx.target)}`);
    await requireBucket(ctx);
    await requireApi(ctx);
    const changes = await runResources(ctx, step.resources, opts.onChange);
    if (opts.waitForChanges !== false) await waitUntilApplied(ctx, changes, opts.onNote);
    await settleIam(ctx, opts.onNote);
    return { checkId, changes, note: undefined, calls: [...ctx.clients.calls] };
  });
}

const HELP = `Usage: npm run solve -- <check-id> [options]

Applies exactly the lab step that <check-id> verifies, onto a deployed baseline.
Check ids, in the lab's order: ${CHECK_IDS.join(', ')}.
(browser-upload, dashboard, bucket-private and ticket-scope verify earlier steps and change nothing.)

  --local           the local AWS at http://localhost:4566
  --name PREFIX     resource-name prefix (default: from .lab/outputs.json, else upload-lab)
  --region R        AWS region        --profile P    AWS profile
  --origin URL      frontend origin for the CORS steps (default: from the outputs file)
  --outputs FILE    outputs of the deploy to take defaults from (default .lab/outputs.json)
  -h, --help        this text

Exit codes: 0 done, 1 failed, 2 usage or setup problem (e.g. LAB_NOT_DEPLOYED).`;

export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    boolean: ['local'],
    string: ['name', 'region', 'profile', 'origin', 'outputs', 'endpoint'],
  });
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const [checkId, extra] = flags._;
  if (!checkId) throw usageError('name the check to solve, e.g. npm run solve -- api-cors.');
  if (extra) throw usageError(`unexpected argument "${extra}".`);
  const opts: SolveOptions = { onChange: printChange, onNote: printNote };
  if (flags.local) opts.local = true;
  for (const key of ['name', 'region', 'profile', 'origin', 'endpoint'] as const) {
    const value = flagString(flags, key);
    if (value !== undefined) opts[key] = value;
  }
  const outputs = flagString(flags, 'outputs');
  if (outputs !== undefined) opts.outputsFile = outputs;
  const result = await solve(checkId, opts);
  printNote(result.note ?? `${checkId}: ${summary(result.changes)}`);
}

if (isMain(import.meta.url)) await runCli(() => main(process.argv.slice(2)));
