#!/usr/bin/env tsx
/**
 * `npm run soak -- [--scale N] [--only NAME,…] [--runs N]`: the reliability suites (`test/reliability/`)
 * through vitest with `RELIABILITY_SCALE` (default 10) multiplying their counts, then each
 * suite's figures (cases tried, faults injected, objects lost) and the totals.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './lib/bundle.ts';
import { flagString, isMain, parseFlags, runCli } from './lib/cli.ts';
import { usageError } from './lib/errors.ts';

const HELP = `Usage: npm run soak -- [--scale N] [--only NAME,…] [--runs N]

Runs the reliability suites in test/reliability/ (concurrency, crash safety, checker safety, fuzzing,
tampering) longer than npm test does: RELIABILITY_SCALE multiplies their counts (uploads, crash
rounds, fuzz cases). Each suite prints one line of figures; the totals follow at the end.

  --scale N     how much longer (npm test runs them at 1)     default $RELIABILITY_SCALE or 10
  --only NAMES  only the suites whose file names contain these, comma-separated (e.g. crash,concurrency;
                consistency is the lab's track under the local AWS's --consistency aws timing, its delays
                scaled by EMULATOR_CONSISTENCY_SCALE, default 0.5)
  --runs N      run the suites N times in a row and report how many runs passed   default 1
  -h, --help    this text
Exit codes: 0 every suite passed and lost nothing, 1 a suite failed or lost something, 2 usage.`;

export interface SuiteFigures {
  suite: string;
  /** The suite's own words, e.g. `cases=200 faults=0 lost=0 peakInFlight=100`. */
  text: string;
  cases: number;
  faults: number;
  lost: number;
}

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');
const number = (text: string, pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? 0);

/**
 * The figures lines in vitest's output, in either form the suites print:
 * `[figures] <suite>: cases=… faults=… lost=…` (support/soak-figures.ts) or
 * `[<suite>] cases N · faults injected N · … · objects lost N` (support/fuzz-scale.ts).
 */
export function parseFigures(output: string): SuiteFigures[] {
  const found: SuiteFigures[] = [];
  for (const raw of output.replace(ANSI, '').split('\n')) {
    const line = raw.trim();
    const m = /^\[figures\] ([\w-]+): (.*)$/.exec(line) ?? /^\[([\w-]+)\] (.*\bcases[ =]\d.*)$/.exec(line);
    if (!m) continue;
    const text = m[2]!;
    found.push({
      suite: m[1]!,
      text,
      cases: number(text, /\bcases[ =](\d+)/),
      faults: number(text, /\bfaults(?: injected)?[ =](\d+)/),
      lost: number(text, /\b(?:objects )?lost[ =](\d+)/),
    });
  }
  return found;
}

/** One line per suite, then the totals of cases, faults and lost. */
export function renderFigures(figures: SuiteFigures[], scale: number): string {
  const total = (key: 'cases' | 'faults' | 'lost') => figures.reduce((n, f) => n + f[key], 0);
  const width = Math.max(5, ...figures.map((f) => f.suite.length));
  return [
    `Reliability figures (RELIABILITY_SCALE=${scale}):`,
    ...(figures.length
      ? figures.map((f) => `  ${f.suite.padEnd(width)}  ${f.text}`)
      : ['  (no suite printed figures)']),
    `  ${'total'.padEnd(width)}  cases=${total('cases')} faults=${total('faults')} lost=${total('lost')}`,
  ].join('\n');
}

export async function main(args: string[]): Promise<boolean> {
  const flags = parseFlags(args, { boolean: [], string: ['scale', 'only', 'runs'] });
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return true;
  }
  if (flags._.length) throw usageError(`unexpected argument "${flags._[0]}".`);
  const scaleText = flagString(flags, 'scale') ?? process.env['RELIABILITY_SCALE'] ?? '10';
  const scale = Number(scaleText);
  if (!Number.isFinite(scale) || scale <= 0)
    throw usageError(`--scale must be a positive number, not "${scaleText}".`);
  const only = (flagString(flags, 'only') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const filters = only.length ? only.map((name) => `test/reliability/${name}`) : ['test/reliability/'];

  const runsText = flagString(flags, 'runs') ?? '1';
  const runs = Number(runsText);
  if (!Number.isInteger(runs) || runs < 1)
    throw usageError(`--runs must be a whole number of at least 1, not "${runsText}".`);

  let passed = 0;
  for (let run = 1; run <= runs; run += 1) {
    if (runs > 1) process.stdout.write(`\n--- run ${run} of ${runs} ---\n`);
    const { code, output } = await runVitest(filters, scale);
    const figures = parseFigures(output);
    process.stdout.write(`\n${renderFigures(figures, scale)}\n`);
    if (code === 0 && figures.every((f) => f.lost === 0)) passed += 1;
  }
  if (runs > 1) process.stdout.write(`\n${passed}/${runs} runs passed\n`);
  return passed === runs;
}

/** One vitest run of the suites, its output echoed and kept. */
async function runVitest(filters: string[], scale: number): Promise<{ code: number; output: string }> {
  const vitest = path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const child = spawn(process.execPath, [vitest, 'run', ...filters], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      RELIABILITY_SCALE: String(scale),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    output += chunk.toString();
  });
  const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? 1)));
  return { code, output };
}

if (isMain(import.meta.url)) {
  let ok = true;
  await runCli(async () => {
    ok = await main(process.argv.slice(2));
  });
  if (!ok) process.exitCode = 1;
}
