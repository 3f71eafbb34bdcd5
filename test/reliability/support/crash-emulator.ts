import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO } from './solution-stack.ts';

/** The Lambda runtimes' entry points, as they appear in a worker's command line. */
const WORKER_BOOTSTRAP = /services\/lambda\/runtime\/(node\/bootstrap\.mjs|python\/bootstrap\.py)/;

export interface CrashableEmulator {
  url: string;
  pid: number;
  /** SIGKILL: nothing flushed, nothing closed; resolves once the process is gone. */
  crash(): Promise<void>;
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>;
  /** What it wrote to stderr (for a failing assertion). */
  log(): string;
}

/**
 * `scripts/emulator.ts` in its own process on `port` and `dataDir` (so that it can be killed and
 * started again on the same data); resolves once `/_emulator/health` answers.
 */
export async function spawnEmulator(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<CrashableEmulator> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/emulator.ts', '--port', String(port), '--data', dataDir, '--quiet'],
    { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (log.length < 100_000) log += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the emulator exited (${child.exitCode}) before it answered:\n${log}`);
    const ok = await fetch(`${url}/_emulator/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await end('SIGKILL');
      throw new Error(`the emulator never answered on ${url}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, pid: child.pid!, crash: () => end('SIGKILL'), stop: () => end('SIGTERM'), log: () => log };
}

/** Processes now running a Lambda runtime bootstrap, with their parent; from `ps`. */
export async function lambdaWorkers(): Promise<Array<{ pid: number; ppid: number }>> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid=,ppid=,args=']);
  return stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && WORKER_BOOTSTRAP.test(m[3]!))
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]) }));
}

/**
 * Which of `pids` are still running a Lambda bootstrap once they have had `graceMs` to notice
 * their parent is gone (polled; the grace only bounds the wait).
 */
export async function survivingWorkers(pids: readonly number[], graceMs = 10_000): Promise<number[]> {
  const end = Date.now() + graceMs;
  for (;;) {
    const alive = new Set((await lambdaWorkers()).map((w) => w.pid));
    const left = pids.filter((pid) => alive.has(pid));
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
