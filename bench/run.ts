import { cpus, totalmem } from 'node:os';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { benchCheck } from './check.ts';
import type { BenchContext } from './lib/context.ts';
import { BENCH_DIR } from './lib/paths.ts';
import { benchMultipart } from './multipart.ts';
import { planFor } from './lib/plan.ts';
import { FIGURE_IDS, type BenchReport, type Figure, type FigureId } from './lib/results.ts';
import { startSolutionStack, type SolutionStack } from './lib/stack.ts';
import { benchProxy } from './proxy.ts';
import { benchTickets } from './tickets.ts';
import { benchUploads } from './uploads.ts';

export interface BenchOptions {
  figures?: readonly FigureId[];
  quick?: boolean;
  /** The plumbing test's configuration: one size, a few requests, seconds in all. */
  tiny?: boolean;
  log?: (message: string) => void;
  /** Environment for finding tools (CHROMIUM_PATH); default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

const FIGURES: Record<FigureId, (ctx: BenchContext) => Promise<Figure>> = {
  check: benchCheck,
  uploads: benchUploads,
  tickets: benchTickets,
  proxy: benchProxy,
  multipart: benchMultipart,
};

const TITLES: Record<FigureId, string> = {
  check: 'npm run check, whole process',
  uploads: 'Presigned POST uploads',
  tickets: 'Upload tickets through the HTTP API',
  proxy: 'Direct upload with a ticket vs. through the API',
  multipart: 'aws s3 cp (multipart upload)',
};

/**
 * Measures the chosen figures (all by default) in the order. A figure that cannot be
 * measured is reported with its error and the others still run; scratch data is removed.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const started = Date.now();
  const plan = planFor(options);
  const say = options.log ?? (() => {});
  const log = (message: string) =>
    say(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
  await mkdir(BENCH_DIR, { recursive: true });
  const dir = await mkdtemp(path.join(BENCH_DIR, 'run-'));
  let stack: Promise<SolutionStack> | undefined;
  const ctx: BenchContext = {
    plan,
    dir,
    log,
    env: options.env ?? process.env,
    stack: () => {
      if (!stack) {
        log('starting the local AWS and deploying the solution');
        stack = startSolutionStack(path.join(dir, 'stack'));
      }
      return stack;
    },
  };
  const figures: Figure[] = [];
  try {
    for (const id of FIGURE_IDS.filter((f) => (options.figures ?? FIGURE_IDS).includes(f))) {
      const figureStarted = Date.now();
      try {
        figures.push({ ...(await FIGURES[id](ctx)), durationMs: Date.now() - figureStarted });
      } catch (err) {
        log(`${id}: failed: ${err instanceof Error ? err.message : String(err)}`);
        figures.push({
          id,
          title: TITLES[id],
          ours: 'local AWS',
          baselineNames: [],
          rows: [],
          notes: [],
          error: err instanceof Error ? err.message : String(err),
          durationMs: Date.now() - figureStarted,
        });
      }
    }
  } finally {
    if (stack) await (await stack.catch(() => undefined))?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    quick: plan.quick,
    durationMs: Date.now() - started,
    figures,
  };
}
