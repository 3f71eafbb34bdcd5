import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildEmulator {
  url: string;
  port: number;
  pid: number;
  process: ChildProcess;
  /** SIGKILL: a crash, nothing flushed. */
  crash(): Promise<void>;
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs `scripts/emulator.ts` in its own Node process on a free port (for crash tests and
 * memory measurements); resolves once it listens.
 */
export function startChildEmulator(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ChildEmulator> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/emulator.ts', '--port', '0', '--data', dataDir, '--quiet'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /(?:listening on |AWS_ENDPOINT_URL=)(http:\/\/[^\s]+)/.exec(log);
      if (!m) return;
      child.stderr!.off('data', onData);
      child.stderr!.resume();
      const url = m[1]!;
      resolve({
        url,
        port: Number(new URL(url).port),
        pid: child.pid!,
        process: child,
        crash: () => end('SIGKILL'),
        stop: () => end('SIGTERM'),
      });
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}) before listening:\n${log}`)));
  });
}
