import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { LabOutputs } from '../../checks/lib/outputs.ts';
import { deploy } from '../../scripts/deploy.ts';
import { startServer, type ChildServer } from './child.ts';
import { REPO_ROOT } from './paths.ts';

/** The function behind `POST /proxy-upload` (figure 4), whose REPORT lines the stack passes on. */
export const PROXY_FUNCTION = 'bench-proxy-upload';

/** The lab's upload-ticket function under the deploy's default prefix. */
export const TICKET_FUNCTION = 'upload-lab-upload-ticket';

export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The local AWS in its own process with the lab's reference solution deployed, as `npm run demo` has it. */
export interface SolutionStack {
  endpoint: string;
  outputs: LabOutputs;
  /** The frontend origin the CORS settings allow; nothing listens there until the checker serves it. */
  origin: string;
  frontendPort: number;
  /** A folder whose `.lab/outputs.json` describes this stack, to run `npm run check` from. */
  cwd: string;
  server: ChildServer;
  /** The next REPORT line of `fn` (`{durationMs, billedMs, maxMemoryMb}`). */
  nextReport(fn: string, timeoutMs?: number): Promise<Report>;
  /** Forgets the REPORT lines of `fn` received so far. */
  clearReports(fn: string): void;
  stop(): Promise<void>;
}

export interface Report {
  durationMs: number;
  billedMs: number;
  maxMemoryMb: number;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startSolutionStack(dir: string): Promise<SolutionStack> {
  const server = await startServer(path.join(REPO_ROOT, 'bench', 'servers', 'emulator-server.ts'), [
    path.join(dir, 'aws'),
    `--reports=${PROXY_FUNCTION},${TICKET_FUNCTION}`,
  ]);
  try {
    const frontendPort = await freePort();
    const origin = `http://localhost:${frontendPort}`;
    const cwd = path.join(dir, 'check-cwd');
    await mkdir(path.join(cwd, '.lab'), { recursive: true });
    const { outputs } = await deploy({
      endpoint: server.ready.url,
      credentials: LOCAL_CREDENTIALS,
      stage: 'solution',
      origin,
      outputsFile: path.join(cwd, '.lab', 'outputs.json'),
    });
    return {
      endpoint: server.ready.url,
      outputs,
      origin,
      frontendPort,
      cwd,
      server,
      nextReport: (fn, timeoutMs = 10_000) =>
        server.next(
          (line) =>
            line['report'] === fn
              ? {
                  durationMs: Number(line['durationMs']),
                  billedMs: Number(line['billedMs']),
                  maxMemoryMb: Number(line['maxMemoryMb']),
                }
              : undefined,
          timeoutMs,
        ),
      clearReports: (fn) => server.discard((line) => line['report'] === fn),
      stop: () => server.stop(),
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
