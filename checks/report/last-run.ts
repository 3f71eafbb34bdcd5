import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabOutputs } from '../lib/outputs.ts';
import type { RowResult, RunSummary } from '../types.ts';

/**
 * `.lab/last-run.json`: the latest result of every row, per stack, whoever ran it (`npm run check`,
 * `npm run demo`, the lab page's own button), so the lab page can show a run it did not start.
 */
export const LAST_RUN_FILE = '.lab/last-run.json';

/** The file for a checker working in `cwd` (the folder whose `.lab/outputs.json` it reads). */
export const lastRunFile = (cwd?: string): string => path.join(cwd ?? process.cwd(), LAST_RUN_FILE);

/** How many stacks the file remembers (the demo's throwaway stacks must not grow it forever). */
const KEEP_STACKS = 8;

export interface LastRow {
  id: string;
  status: RowResult['status'];
  detail: string;
  hint: { id: string; text: string } | null;
  /** When this row's result was reached (ISO). */
  at: string;
  by: string;
}

export interface LastRun {
  /** The stack: its API endpoint and bucket. */
  stack: string;
  at: string;
  by: string;
  /** Every row's latest result, in lab order of first appearance; a run of some rows updates only those. */
  rows: LastRow[];
  summary: RunSummary;
}

interface LastRunFile {
  version: 1;
  stacks: LastRun[];
}

/** Which stack a target is, as the file keys it. */
export const stackKey = (target: Pick<LabOutputs, 'apiEndpoint' | 'bucket'>): string =>
  `${target.apiEndpoint} ${target.bucket}`;

/**
 * Records a run's rows for its stack; `by` says who ran it. Never throws: the page's record is a
 * convenience, and a run must not fail because `.lab/` is read-only.
 */
export async function recordLastRun(
  report: { results: readonly RowResult[]; summary: RunSummary; target: LabOutputs },
  by: string,
  file = lastRunFile(),
  now = new Date(),
): Promise<void> {
  try {
    const at = now.toISOString();
    const data = await readFileData(file);
    const stack = stackKey(report.target);
    const previous = data.stacks.find((s) => s.stack === stack);
    const rows = new Map((previous?.rows ?? []).map((r) => [r.id, r]));
    for (const r of report.results) {
      rows.set(r.id, {
        id: r.id,
        status: r.status,
        detail: r.detail,
        hint: r.hintId ? { id: r.hintId, text: r.hint ?? '' } : null,
        at,
        by,
      });
    }
    const all = [...rows.values()];
    const count = (...s: RowResult['status'][]) => all.filter((r) => s.includes(r.status)).length;
    const entry: LastRun = {
      stack,
      at,
      by,
      rows: all,
      summary: {
        passed: count('pass'),
        failed: count('fail', 'error'),
        skipped: count('skip'),
        durationMs: report.summary.durationMs,
      },
    };
    const stacks = [entry, ...data.stacks.filter((s) => s.stack !== stack)].slice(0, KEEP_STACKS);
    await writeAtomic(file, `${JSON.stringify({ version: 1, stacks } satisfies LastRunFile, null, 2)}\n`);
  } catch {
    // See above: nothing to report.
  }
}

/** The latest recorded run against this stack, if any. */
export async function readLastRun(
  target: Pick<LabOutputs, 'apiEndpoint' | 'bucket'>,
  file = lastRunFile(),
): Promise<LastRun | undefined> {
  const stack = stackKey(target);
  return (await readFileData(file)).stacks.find((s) => s.stack === stack);
}

async function readFileData(file: string): Promise<LastRunFile> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LastRunFile>;
    if (parsed.version === 1 && Array.isArray(parsed.stacks)) return { version: 1, stacks: parsed.stacks };
  } catch {
    // Missing or unreadable: start afresh.
  }
  return { version: 1, stacks: [] };
}

async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}
