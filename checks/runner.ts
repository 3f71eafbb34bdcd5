import { randomBytes } from 'node:crypto';
import { createMemo, type CheckContext } from './context.ts';
import { frontendOf, resolveRun } from './discovery.ts';
import { destroyClients } from './lib/aws.ts';
import { debug } from './lib/debug.ts';
import { BrowserSession, findChromium, NO_CHROMIUM } from './lib/browser.ts';
import { ensureFrontend } from './lib/frontend-ensure.ts';
import type { FrontendServer } from './lib/frontend-server.ts';
import type { LabOutputs } from './lib/outputs.ts';
import { judgeNotification } from './lib/notification.ts';
import { watchDashboard } from './lib/dashboard-flow.ts';
import { uploadThroughPage } from './lib/upload-flow.ts';
import { loadFrontendPage, type FrontendPage } from './lib/upload-page.ts';
import { UploadRegistry } from './lib/uploads.ts';
import { DEFAULT_WAIT_MS, type CheckOptions } from './options.ts';
import { rows } from './rows/index.ts';
import { runRows, selectRows } from './schedule.ts';
import type { RowResult, RunEvent, RunSummary } from './types.ts';

export interface RunReport {
  results: RowResult[];
  summary: RunSummary;
  target: LabOutputs;
  /** Objects the checker uploaded but could not delete, with why; normally empty. */
  leftovers: string[];
}

/** Whether the metadata pipeline will write records for the checker's uploads, so cleanup waits for them. */
async function pipelineState(ctx: CheckContext, dashboard: RowResult | undefined) {
  if (dashboard?.status === 'pass') return 'proven' as const;
  if (ctx.uploads.keys.length === 0) return 'none' as const;
  const verdict = await judgeNotification(ctx, `${ctx.target.uploadPrefix}lab-check`).catch(() => undefined);
  return verdict && !verdict.problem ? ('configured' as const) : ('none' as const);
}

/** How long a run waits, at its end, for browser work whose rows were skipped. */
const BROWSER_SETTLE_MS = 5000;

/** Waits for `work`, at most `ms`; leaves no timer behind. */
async function settle(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

export function summarize(results: readonly RowResult[], durationMs: number): RunSummary {
  const count = (...s: RowResult['status'][]) => results.filter((r) => s.includes(r.status)).length;
  return { passed: count('pass'), failed: count('fail', 'error'), skipped: count('skip'), durationMs };
}

/**
 * Runs the checklist: finds the stack, runs every selected row (concurrently where their needs
 * allow), removes what it uploaded, and reports each step through `onEvent`. Throws `LabError` for
 * a setup problem (no credentials, nothing found, an unknown row id).
 */
export async function runChecks(
  options: CheckOptions = {},
  onEvent: (event: RunEvent) => void = () => {},
): Promise<RunReport> {
  const t0 = Date.now();
  const selected = selectRows(rows, options.only);
  const wantsBrowser = selected.some((r) => r.browser);
  // A session the caller passed is the caller's to close: the run only gives its page back.
  const ownsBrowser = options.browser === undefined;
  const browser =
    options.browser ??
    new BrowserSession(wantsBrowser ? await findChromium(options.env ?? process.env) : undefined, {
      reuse: false,
    });
  void browser.warmUp(); // the launch overlaps discovery and the rows that need no browser
  let page: Promise<FrontendPage> | undefined;
  let frontend: Promise<FrontendServer | undefined> | undefined;
  let closing: Promise<void> | undefined;
  let browserWork: Promise<unknown> | undefined;
  let run: Awaited<ReturnType<typeof resolveRun>> | undefined;
  // config.js is answered once discovery has found the API; until then the page waits for it.
  let apiFound!: (url: string) => void;
  const apiBaseUrl = new Promise<string>((resolveApi) => (apiFound = resolveApi));
  // The page goes back to the session (a one-run session closes the browser with it).
  const release = async (): Promise<void> => {
    const loaded = await page?.catch(() => undefined);
    if (loaded) await browser.release(loaded.page);
    if (ownsBrowser) await browser.close();
    debug('browser released');
  };
  try {
    const plan = await frontendOf(options);
    const frontendUrl = () => {
      frontend ??= ensureFrontend(plan.frontendUrl, plan.frontendDir, () => apiBaseUrl);
      return frontend.then(() => plan.frontendUrl);
    };
    // Serve and load the page while discovery and the rows the upload needs run.
    page = wantsBrowser && browser.available ? loadFrontendPage(browser, frontendUrl()) : undefined;
    page?.catch(() => undefined);
    debug('discovery');
    run = await resolveRun(options);
    debug(`target ${run.source}`);
    const { target, aws, timeoutMs } = run;
    apiFound(target.apiEndpoint);
    const finished = new Map<string, RowResult>();
    const emit = (event: RunEvent) => {
      if (event.type === 'row-end') finished.set(event.result.id, event.result);
      onEvent(event);
    };
    const uploads = new UploadRegistry(aws.s3, target.bucket, target.uploadPrefix, target.metadataPrefix);
    const ctx: CheckContext = {
      target,
      aws,
      frontendUrl,
      runId: `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
      uploads,
      browser,
      evidence: (id) => finished.get(id)?.evidence,
      memo: createMemo(),
      timeoutMs,
    };
    if (page) {
      const loading = page;
      void ctx.memo('frontend-page', () => loading);
      // The browser's part of the run does not wait for the rows it needs: it starts now, and its
      // rows judge what it saw once their needs passed (or are skipped, the upload cleaned up).
      const ids = selected.map((r) => r.id);
      if (ids.includes('dashboard')) browserWork = watchDashboard(ctx);
      else if (ids.includes('browser-upload')) browserWork = uploadThroughPage(ctx);
      browserWork?.catch(() => undefined);
    }
    emit({ type: 'run-start', rows: selected.map(({ id, title, step }) => ({ id, title, step })), target });
    let results: RowResult[] = [];
    let leftovers: string[] = [];
    try {
      results = await runRows(selected, ctx, {
        timeoutMs,
        emit,
        clock: () => Date.now() - t0,
        skipReason: (c) => (c.browser && !browser.available ? NO_CHROMIUM : undefined),
        waitMs: options.waitMs ?? DEFAULT_WAIT_MS,
      });
      // A skipped browser row did not wait for the page: let it finish what it uploads (briefly).
      if (browserWork) await settle(browserWork, BROWSER_SETTLE_MS);
      // The browser is done: close it (or this run's page) while the uploads are cleaned up.
      closing = release();
    } finally {
      debug('cleanup');
      leftovers = await uploads.cleanup({ pipeline: await pipelineState(ctx, finished.get('dashboard')) });
      debug('cleaned up');
    }
    const summary = summarize(results, Date.now() - t0);
    emit({ type: 'run-end', results, summary });
    return { results, summary, target, leftovers };
  } finally {
    debug('closing');
    await Promise.all([
      closing ?? release(),
      frontend
        ?.then((f) => f?.close())
        .then(
          () => debug('frontend closed'),
          () => undefined,
        ),
    ]);
    if (run) destroyClients(run.aws);
  }
}
