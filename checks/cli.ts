import { writeFile } from 'node:fs/promises';
import { parseArgs, USAGE, type CliArgs } from './args.ts';
import { LabError } from './lab-error.ts';
import { debug } from './lib/debug.ts';
import { plainReporter } from './report/plain.ts';
import { createScreen } from './report/screen.ts';
import { ttyReporter } from './report/tty.ts';
import { wantsBrowser } from './row-ids.ts';

/** `npm run check -- [options]`: exit 0 when every row passes, 1 when any does not, 2 for a usage or setup error. */
async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const screen = createScreen(process.stderr);
  const reporter = screen.live ? ttyReporter(screen) : plainReporter(screen);
  // Chromium boots on another core while the AWS SDK and the rows load here.
  const { BrowserSession, findChromium } = await import('./lib/browser.ts');
  const browser = new BrowserSession(wantsBrowser(args.options.only) ? await findChromium() : undefined, {
    reuse: false,
  });
  await browser.warmUp();
  debug('chromium launching');
  const { runChecks } = await import('./runner.ts');
  debug('modules loaded');
  try {
    const report = await runChecks({ ...args.options, browser }, (event) => reporter.onEvent(event));
    await browser.close();
    const { lastRunFile, recordLastRun } = await import('./report/last-run.ts');
    await recordLastRun(report, 'npm run check', lastRunFile(args.options.cwd));
    if (report.leftovers.length > 0) {
      process.stderr.write(
        `LAB_CLEANUP: could not delete ${report.leftovers.join('; ')}. Delete them by hand.\n`,
      );
    }
    if (args.json || args.junit) {
      const [{ toJson }, { toJunit }] = await Promise.all([
        import('./report/json.ts'),
        import('./report/junit.ts'),
      ]);
      if (args.json) process.stdout.write(`${JSON.stringify(toJson(report), null, 2)}\n`);
      if (args.junit) await writeFile(args.junit, toJunit(report));
    }
    const { passed } = report.summary;
    return passed === report.results.length ? 0 : 1;
  } catch (err) {
    reporter.close();
    await browser.close();
    if (err instanceof LabError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    process.stderr.write(`LAB_INTERNAL: the checker itself failed: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}

const code = await main(process.argv.slice(2));
debug('main done');
process.exitCode = code;
// Everything is closed by now; should a library still hold the event loop, do not hang the terminal.
setTimeout(() => process.exit(code), 3000).unref();
