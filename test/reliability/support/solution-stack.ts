import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import type { LabOutputs } from '../../../checks/lib/outputs.ts';
import { createLogger } from '../../../emulator/core/log.ts';
import { startEmulator } from '../../../emulator/server.ts';
import { deploy } from '../../../scripts/deploy.ts';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const ROOT_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A path-style S3 client with the root keys. */
export const rootS3 = (endpoint: string): S3Client =>
  new S3Client({ endpoint, region: 'us-east-1', credentials: ROOT_CREDENTIALS, forcePathStyle: true });

/** Deploys the reference solution to the local AWS at `endpoint`; the outputs go to `outputsFile`. */
export async function deploySolution(
  endpoint: string,
  origin: string,
  outputsFile: string | false = false,
): Promise<LabOutputs> {
  const { outputs } = await deploy({
    endpoint,
    origin,
    credentials: ROOT_CREDENTIALS,
    stage: 'solution',
    outputsFile,
  });
  return outputs;
}

export interface SolutionStack {
  endpoint: string;
  dataDir: string;
  /** A scratch folder (the data folder is inside it); `.lab/outputs.json` is written here. */
  dir: string;
  outputs: LabOutputs;
  /** The frontend origin the deploy allowed (nothing listens there until the checker serves it). */
  origin: string;
  s3: S3Client;
  stop(): Promise<void>;
}

/**
 * A private local AWS in this process on a free port, with the solution deployed to it.
 * `seed` may write into the data folder before the emulator opens it.
 */
export async function startSolutionStack(
  options: {
    seed?: (dataDir: string) => Promise<void>;
    /** Sees every request's one log line (operation, status), e.g. to count what a run did. */
    onRequest?: (line: { operation: string; status: number }) => void;
  } = {},
): Promise<SolutionStack> {
  const dir = await mkdtemp(join(tmpdir(), 'lab-reliability-'));
  const dataDir = join(dir, 'aws');
  await options.seed?.(dataDir);
  const logger = createLogger({ quiet: true });
  if (options.onRequest) logger.request = options.onRequest;
  const emulator = await startEmulator({ port: 0, dataDir, logger });
  const origin = `http://localhost:${await freePort()}`;
  try {
    const outputs = await deploySolution(emulator.url, origin, join(dir, '.lab', 'outputs.json'));
    const s3 = rootS3(emulator.url);
    return {
      endpoint: emulator.url,
      dataDir,
      dir,
      outputs,
      origin,
      s3,
      async stop() {
        s3.destroy();
        await emulator.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Waits until the local AWS in `dataDir` has no S3 event left to deliver, so that nothing the
 * pipeline still owes can appear after a snapshot (the deadline only bounds a stuck queue).
 */
export async function eventsDelivered(dataDir: string, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const pending = (await readdir(join(dataDir, 's3', 'events')).catch(() => [])).filter((f) =>
      f.endsWith('.json'),
    );
    if (pending.length === 0) return;
    if (Date.now() > end) throw new Error(`${pending.length} S3 events still undelivered`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
