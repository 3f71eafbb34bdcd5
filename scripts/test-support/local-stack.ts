import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFrontendServer, type FrontendServer } from '../../checks/lib/frontend-server.ts';
import { REPO_ROOT } from '../lib/bundle.ts';

/** The deploy suites need the local AWS; while it is being written they say so and skip. */
export const EMULATOR_MISSING = existsSync(path.join(REPO_ROOT, 'emulator', 'server.ts'))
  ? undefined
  : 'emulator/server.ts does not exist yet: the deploy suites need the local AWS';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface LocalStack {
  /** The emulator's endpoint, e.g. `http://localhost:40123`. */
  endpoint: string;
  /** The frontend origin the deploy allows, e.g. `http://localhost:40124`. */
  origin: string;
  frontend: FrontendServer;
  /** A scratch folder for outputs files. */
  dir: string;
  /** What `/app/config.js` announces; set it once the API exists. */
  setApiBaseUrl(url: string): void;
  stop(): Promise<void>;
}

/** A private local AWS on a free port, and `solution/frontend` served on another. */
export async function startLocalStack(
  timing: { consistency?: 'immediate' | 'aws'; consistencyScale?: number } = {},
): Promise<LocalStack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lab-deploy-'));
  const { startEmulator } = await import('../../emulator/server.ts');
  const emulator = await startEmulator({
    port: 0,
    dataDir: path.join(dir, 'aws'),
    quiet: true,
    // `--consistency aws` only where a test asks for it, whatever the shell says.
    consistency: timing.consistency ?? 'immediate',
    ...(timing.consistencyScale !== undefined && { consistencyScale: timing.consistencyScale }),
  });
  let apiBaseUrl = 'http://invalid.example';
  const frontend = await startFrontendServer({
    dir: path.join(REPO_ROOT, 'solution', 'frontend'),
    apiBaseUrl: () => apiBaseUrl,
    port: 0,
  });
  return {
    endpoint: emulator.url,
    origin: `http://localhost:${frontend.port}`,
    frontend,
    dir,
    setApiBaseUrl: (url) => {
      apiBaseUrl = url;
    },
    async stop() {
      await frontend.close();
      await emulator.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until it returns a value; the deadline only bounds a hung pipeline. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined>,
  deadlineMs = 30_000,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`${what} did not happen${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
