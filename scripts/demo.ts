#!/usr/bin/env tsx
/**
 * `npm run demo`: the whole lab, offline. Starts the local AWS with a fresh data dir, deploys the
 * reference solution to it, serves the lab page and the reference frontend, runs every check in
 * a real headless Chromium, prints the checklist and the URLs, and keeps serving until Ctrl-C.
 * `--ci` exits with the checker's status instead.
 */
import { recordLastRun } from '../checks/report/last-run.ts';
import { runChecks } from '../checks/runner.ts';
import { plainReporter } from '../checks/report/plain.ts';
import { createScreen } from '../checks/report/screen.ts';
import { ttyReporter } from '../checks/report/tty.ts';
import { startEmulator, type RunningEmulator } from '../emulator/server.ts';
import { startSite, type RunningSite } from '../site/server/site-server.ts';
import { flagString, isMain, parseFlags, printNote, runCli, summary } from './lib/cli.ts';
import { LabError, usageError } from './lib/errors.ts';
import { deploy } from './deploy.ts';

// The SDK's notice about Node 20 support is not the student's concern here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const HELP = `Usage: npm run demo -- [--ci] [--port 5173] [--aws-port 4566]

Runs the whole lab on this machine, with no AWS account:
  1. starts the local AWS (fresh state in .lab/demo/),
  2. deploys the reference solution to it,
  3. serves the lab page on http://localhost:5173/ and the reference app on /app/,
  4. runs every checklist row (the browser rows in headless Chromium),
then keeps serving until Ctrl-C so you can open the page and try the app yourself.

  --ci            exit when the checks are done: 0 when every row passed, 1 otherwise
  --port N        the lab page's port (its origin is the one the CORS settings allow)   default 5173
  --aws-port N    the local AWS's port (a free one is picked when it is taken)            default 4566
  -h, --help      this text`;

const DEMO_DIR = '.lab/demo';
/** The local AWS's root keys; the demo never reads the student's own credentials. */
const LOCAL_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' };

function portFlag(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(`--${name} must be a port number, not "${value}".`);
  return port;
}

/** Returns whether every row passed. */
export async function main(args: string[]): Promise<boolean> {
  const flags = parseFlags(args, { boolean: ['ci'], string: ['port', 'aws-port'] });
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return true;
  }
  const ci = flags['ci'] === true;
  const sitePort = portFlag(flagString(flags, 'port'), 5173, 'port');
  const awsPort = portFlag(flagString(flags, 'aws-port'), 4566, 'aws-port');
  const step = (n: number, text: string) => process.stderr.write(`\n[${n}/4] ${text}\n`);

  let emulator: RunningEmulator | undefined;
  let site: RunningSite | undefined;
  const stop = async () => {
    await site?.close();
    await emulator?.stop();
  };
  try {
    step(1, 'Starting the local AWS');
    const dataDir = `${DEMO_DIR}/emulator`;
    emulator = await startEmulator({ port: awsPort, dataDir, reset: true, quiet: true }).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EADDRINUSE') throw err;
        printNote(`port ${awsPort} is taken; using a free port instead`);
        return startEmulator({ port: 0, dataDir, reset: true, quiet: true });
      },
    );
    printNote(`local AWS on ${emulator.url}`);

    step(2, 'Serving the lab page and the reference app');
    // The site comes up before the deploy: its origin is what the CORS settings must allow.
    site = await startSite({
      port: sitePort,
      frontendDir: 'solution/frontend',
      checks: { endpoint: emulator.url },
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        throw new LabError(
          'LAB_PORT_IN_USE',
          `port ${sitePort} is taken. Stop what runs there, or pass --port.`,
        );
      throw err;
    });

    step(3, 'Deploying the reference solution to the local AWS');
    const result = await deploy({
      endpoint: emulator.url,
      credentials: LOCAL_KEYS,
      stage: 'solution',
      origin: site.url,
      outputsFile: `${DEMO_DIR}/outputs.json`,
      onNote: printNote,
    });
    printNote(summary(result.changes));
    await site.configure({ endpoint: emulator.url, credentials: LOCAL_KEYS, target: result.outputs });

    step(4, 'Running every check');
    const screen = createScreen(process.stderr);
    const reporter = screen.live ? ttyReporter(screen) : plainReporter(screen);
    let report;
    try {
      report = await runChecks(
        {
          endpoint: emulator.url,
          credentials: LOCAL_KEYS,
          target: result.outputs,
          frontendUrl: `${site.url}/app/`,
          frontendDir: 'solution/frontend',
        },
        (event) => reporter.onEvent(event),
      );
    } finally {
      reporter.close();
    }
    await recordLastRun(report, 'npm run demo');
    const ok = report.summary.failed === 0;
    process.stderr.write(
      `\n${ok ? 'Every row passes: this is what a finished lab looks like.' : 'Some rows did not pass; their hints say why.'}\n` +
        `  Lab page:   ${site.url}/\n  Your app:   ${site.url}/app/  (the reference frontend)\n  Local AWS:  ${emulator.url}  (credentials test / test)\n`,
    );
    if (ci) return ok;
    process.stderr.write('Serving until Ctrl-C.\n');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return ok;
  } finally {
    await stop();
  }
}

if (isMain(import.meta.url)) {
  let ok = true;
  await runCli(async () => {
    ok = await main(process.argv.slice(2));
  });
  if (!ok) process.exitCode = 1;
  // Everything was stopped in main's finally; a straggling handle must not keep the demo open.
  process.exit();
}
