import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClients, LOCAL_CREDENTIALS, type AwsClients } from '../lib/aws.ts';
import { BrowserSession, findChromium } from '../lib/browser.ts';
import type { LabOutputs } from '../lib/outputs.ts';
import { runChecks, type RunReport } from '../runner.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The self-tests need the local AWS and the deploy scripts, which other parts of the project
 * provide; until both exist the suites skip and say why.
 */
export const SELF_TEST_MISSING =
  ['emulator/server.ts', 'scripts/deploy.ts', 'scripts/solve.ts']
    .filter((f) => !existsSync(join(REPO, f)))
    .map((f) => `${f} does not exist yet`)
    .join('; ') || undefined;

export interface Stack {
  endpoint: string;
  outputs: LabOutputs;
  /** The frontend the checker serves for the run: a copy of solution/frontend a test may edit. */
  frontendDir: string;
  frontendUrl: string;
  aws: AwsClients;
  /** One Chromium for every check of this stack (each run gets a fresh context), as the lab page keeps one. */
  browser: BrowserSession;
  /** `npm run check` against this stack, in-process; the checker serves the frontend itself. */
  check(only?: string[]): Promise<RunReport>;
  /** `solve(checkId)` from scripts/solve.ts against this stack. */
  solve(checkId: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** How the self-test's local AWS keeps time (`--consistency`), and whether the checker re-checks. */
export interface StackTiming {
  /** `aws`: AWS's delays (at `scale`); the checker then re-checks as on AWS, and solve does not wait. */
  consistency?: 'immediate' | 'aws';
  scale?: number;
}

/** A private local AWS on a free port, with the lab's stack deployed at `stage`. */
export async function startStack(stage: 'baseline' | 'solution', timing: StackTiming = {}): Promise<Stack> {
  const awsTiming = timing.consistency === 'aws';
  const dir = await mkdtemp(join(tmpdir(), 'checks-self-test-'));
  const { startEmulator } = await import('../../emulator/server.ts');
  const { deploy } = await import('../../scripts/deploy.ts');
  const { solve } = await import('../../scripts/solve.ts');
  const emulator = await startEmulator({
    port: 0,
    dataDir: join(dir, 'aws'),
    quiet: true,
    consistency: awsTiming ? 'aws' : 'immediate',
    ...(timing.scale !== undefined && { consistencyScale: timing.scale }),
  });
  const frontendDir = join(dir, 'frontend');
  await cp(join(REPO, 'solution', 'frontend'), frontendDir, { recursive: true });
  const origin = `http://localhost:${await freePort()}`;
  const session = { endpoint: emulator.url, origin, credentials: LOCAL_CREDENTIALS };
  try {
    const { outputs } = await deploy({ ...session, stage, outputsFile: false });
    const clients = createClients({
      region: outputs.region,
      endpoint: emulator.url,
      credentials: LOCAL_CREDENTIALS,
    });
    const frontendUrl = `${origin}/app/`;
    const browser = new BrowserSession(await findChromium());
    return {
      endpoint: emulator.url,
      outputs,
      frontendDir,
      frontendUrl,
      aws: clients,
      browser,
      check: (only) =>
        runChecks({
          browser,
          endpoint: emulator.url,
          local: true,
          target: outputs,
          frontendUrl,
          frontendDir,
          cwd: dir,
          ...(only ? { only } : {}),
          // Immediate mode has nothing to wait for: a mistake row fails at once (--no-wait).
          ...(awsTiming ? {} : { waitMs: 0 }),
        }),
      solve: async (checkId) => {
        // Under AWS's timing, solve like a student by hand: change, then check at once.
        await solve(checkId, {
          ...session,
          name: outputs.name,
          outputsFile: false,
          waitForChanges: !awsTiming,
        });
      },
      stop: async () => {
        await browser.close();
        clients.destroy();
        await emulator.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await emulator.stop();
    throw err;
  }
}

/** The rows that must be skipped when `failed` fail: every row that needs one of them, transitively. */
export function dependents(
  rows: readonly { id: string; needs: string[] }[],
  failed: readonly string[],
): string[] {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) {
      if (out.has(r.id) || failed.includes(r.id)) continue;
      if (r.needs.some((n) => failed.includes(n) || out.has(n))) {
        out.add(r.id);
        grew = true;
      }
    }
  }
  return rows.map((r) => r.id).filter((id) => out.has(id));
}

/** One line per row, for a failing assertion to show what the checker said. */
export function describeReport(report: RunReport): string {
  return report.results
    .map(
      (r) => `${r.status.padEnd(5)} ${r.id}${r.hintId ? ` [${r.hintId}]` : ''}: ${r.detail.split('\n')[0]}`,
    )
    .join('\n');
}
