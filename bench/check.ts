import path from 'node:path';
import { CHROMIUM_FLAGS, BrowserSession, findChromium, NO_CHROMIUM } from '../checks/lib/browser.ts';
import { runChecks } from '../checks/runner.ts';
import { RUN, timeCommand } from './lib/child.ts';
import type { BenchContext } from './lib/context.ts';
import { benchError } from './lib/errors.ts';
import { REPO_ROOT } from './lib/paths.ts';
import { meets, withRatios, type Figure, type Row } from './lib/results.ts';
import { summarize } from './lib/stats.ts';

const FLOOR = 'floor';

/**
 * Figure 1: `npm run check` as a whole process, every row, browser included, against the local
 * solution; beside it the floor, a bare Node process that launches Chromium, loads a page and makes
 * one cross-origin fetch. Then the same rows in-process with one browser kept across runs.
 */
export async function benchCheck(ctx: BenchContext): Promise<Figure> {
  const chromium = await findChromium(ctx.env);
  if (!chromium) throw benchError('LAB_BENCH_SETUP', `${NO_CHROMIUM}.`);
  const stack = await ctx.stack();
  const env = {
    AWS_ENDPOINT_URL: stack.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: stack.outputs.region,
    CI: 'true',
    NO_COLOR: '1',
  };
  const frontendDir = path.join(REPO_ROOT, 'solution', 'frontend');
  // What `npm run check` starts (`node scripts/run.mjs checks/cli.ts`), from a folder whose
  // .lab/outputs.json is this stack. The warm-up run builds the bundle if a source changed.
  const check = () =>
    timeCommand(
      process.execPath,
      [RUN, path.join(REPO_ROOT, 'checks', 'cli.ts'), '--frontend-dir', frontendDir],
      { cwd: stack.cwd, env },
    );
  const floor = () =>
    timeCommand(process.execPath, [
      path.join(REPO_ROOT, 'bench', 'servers', 'floor.mjs'),
      chromium,
      ...CHROMIUM_FLAGS,
    ]);

  const wall = { ours: [] as number[], floor: [] as number[] };
  for (let round = 0; round < ctx.plan.warmups + ctx.plan.checkRuns; round++) {
    ctx.log(`check: run ${round + 1} of ${ctx.plan.warmups + ctx.plan.checkRuns}`);
    const ours = await check();
    if (ours.code !== 0)
      throw benchError(
        'LAB_BENCH_FAILED',
        `npm run check exited ${ours.code} against the local solution:\n${ours.stderr.slice(-2000)}`,
      );
    const base = await floor();
    if (base.code !== 0)
      throw benchError('LAB_BENCH_FAILED', `the floor process failed:\n${base.stderr.slice(-2000)}`);
    if (round >= ctx.plan.warmups) {
      wall.ours.push(ours.ms / 1000);
      wall.floor.push(base.ms / 1000);
    }
  }
  const whole = withRatios({
    label: 'npm run check, all rows, browser included',
    unit: 's',
    better: 'lower',
    ours: summarize(wall.ours),
    baselines: { [FLOOR]: summarize(wall.floor) },
  });
  whole.target = { text: '≤ 2× floor', met: meets(whole.ratios[FLOOR], 'lower', 2) };

  const rows: Row[] = [whole, ...(await inProcess(ctx, stack, chromium, frontendDir))];
  return {
    id: 'check',
    title: 'npm run check against the local solution',
    ours: 'check',
    baselineNames: [FLOOR],
    rows,
    notes: [
      `${FLOOR}: bare node (no tsx) importing playwright-core, launching Chromium, loading one page, one cross-origin fetch.`,
      "check: the process npm starts (node scripts/run.mjs checks/cli.ts: the cached bundle on plain Node), reading .lab/outputs.json of the bench stack; npm's own start-up is not included.",
      'browser-upload, page to object: the browser part of the row, from the page starting to load to the uploaded object read back from S3 (it runs beside the rows it needs, so the time the row itself reports is shorter).',
    ],
  };
}

/** The same rows through `runChecks` in this process, with one browser session kept across runs. */
async function inProcess(
  ctx: BenchContext,
  stack: Awaited<ReturnType<BenchContext['stack']>>,
  chromium: string,
  frontendDir: string,
): Promise<Row[]> {
  const browser = new BrowserSession(chromium);
  const total: number[] = [];
  const row: number[] = [];
  let failure: string | undefined;
  try {
    for (let round = 0; round < ctx.plan.warmups + ctx.plan.checkRuns; round++) {
      const report = await runChecks({
        endpoint: stack.endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        target: stack.outputs,
        frontendUrl: `${stack.origin}/app/`,
        frontendDir,
        browser,
      });
      const upload = report.results.find((r) => r.id === 'browser-upload');
      const bad = report.results.filter((r) => r.status !== 'pass');
      if (bad.length > 0 || !upload) {
        failure = `not measured: ${bad.map((r) => `${r.id} ${r.status} (${r.detail.slice(0, 160)})`).join('; ')}`;
        break;
      }
      if (round >= ctx.plan.warmups) {
        total.push(report.summary.durationMs);
        // The browser's part starts with the run; the row itself only judges it once its needs
        // pass, so its own durationMs is not what the browser work cost.
        const browserMs = upload.evidence['browserMs'];
        row.push(typeof browserMs === 'number' ? browserMs : upload.durationMs);
      }
    }
  } finally {
    await browser.close();
  }
  const browserRow = withRatios({
    label: 'in-process, shared browser: browser-upload, page to object',
    unit: 'ms',
    better: 'lower',
    ours: row.length ? summarize(row) : undefined,
    baselines: {},
    ...(failure ? { note: failure } : {}),
  });
  browserRow.target = { text: '< 1000 ms', met: meets(browserRow.ours?.median, 'lower', 999.999) };
  const all = withRatios({
    label: 'in-process, shared browser: all rows',
    unit: 'ms',
    better: 'lower',
    ours: total.length ? summarize(total) : undefined,
    baselines: {},
  });
  return [browserRow, all];
}
