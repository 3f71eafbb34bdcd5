import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { benchError } from './errors.ts';
import { REPO_ROOT } from './paths.ts';

/** The launcher every npm script runs: a TS entry point as a cached esbuild bundle on plain Node. */
export const RUN = path.join(REPO_ROOT, 'scripts', 'run.mjs');

/** Memory of a process from `/proc/<pid>/status`, in MiB: resident now, and its peak (VmHWM). */
export interface Memory {
  rssMiB: number;
  peakMiB: number;
}

export async function memoryOf(pid: number): Promise<Memory | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (!status) return undefined;
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
}

/** Resets the peak (VmHWM) to the current RSS (`echo 5 > /proc/<pid>/clear_refs`); false when not allowed. */
export const resetPeak = (pid: number): Promise<boolean> =>
  writeFile(`/proc/${pid}/clear_refs`, '5').then(
    () => true,
    () => false,
  );

/** A server under test in its own process, so that its memory is its own. */
export interface ChildServer {
  pid: number;
  /** The JSON its runner printed first: `{url, …}`. */
  ready: { url: string } & Record<string, unknown>;
  /** Waits for a later JSON line that `match` accepts. */
  next<T>(match: (line: Record<string, unknown>) => T | undefined, timeoutMs: number): Promise<T>;
  /** Drops the announcements received so far that `match` accepts. */
  discard(match: (line: Record<string, unknown>) => boolean): void;
  memory(): Promise<Memory | undefined>;
  stop(): Promise<void>;
}

/** Runners under `bench/servers/` talk to the bench in stdout lines `@bench {json}`; others are ignored. */
export const announce = (message: Record<string, unknown>): void => {
  process.stdout.write(`${MARK}${JSON.stringify(message)}\n`);
};
const MARK = '@bench ';

/**
 * In a runner: calls `stop` on SIGTERM or SIGINT, and, when started by the bench, once the bench
 * is gone (its stdin, a pipe from the bench, ends), so that no server outlives a killed bench.
 */
export function stopWith(stop: () => Promise<unknown> | void): void {
  const once = () => void Promise.resolve(stop()).finally(() => process.exit(0));
  process.once('SIGTERM', once);
  process.once('SIGINT', once);
  if (process.env['BENCH_PARENT_PIPE'] === '1') process.stdin.once('end', once).resume();
}

/**
 * Starts `node scripts/run.mjs <script> …args` — the way the npm scripts run the lab, so every
 * server under test (ours and the baselines alike) is a bundle on plain Node — and waits for its
 * first announcement, a JSON object with its `url`. Later announcements are kept for `next()`.
 */
export async function startServer(
  script: string,
  args: string[] = [],
  options: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {},
): Promise<ChildServer> {
  const child = spawn(process.execPath, [RUN, script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      BENCH_PARENT_PIPE: '1',
      ...options.env,
    },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith(MARK)) return;
    try {
      lines.push(JSON.parse(line.slice(MARK.length)) as Record<string, unknown>);
      if (lines.length > 1000) lines.shift();
    } catch {
      return;
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const fail = (why: string) =>
    benchError(
      'LAB_BENCH_SERVER',
      `${script} ${why}.${stderr ? `\n${stderr.trim()}` : ''}\nRun it alone (node scripts/run.mjs ${path.relative(REPO_ROOT, script)} ${args.join(' ')}) to see why.`,
    );

  const next = <T>(match: (line: Record<string, unknown>) => T | undefined, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const look = () => {
        for (let i = 0; i < lines.length; i++) {
          const found = match(lines[i]!);
          if (found !== undefined) {
            lines.splice(i, 1);
            done();
            return resolve(found);
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(fail(`printed nothing expected within ${timeoutMs} ms`));
      }, timeoutMs);
      const gone = () => {
        done();
        reject(fail('exited'));
      };
      const done = () => {
        clearTimeout(timer);
        waiters.delete(look);
        child.off('exit', gone);
      };
      waiters.add(look);
      child.once('exit', gone);
      look();
    });

  const ready = await next(
    (line) => (typeof line['url'] === 'string' ? (line as ChildServer['ready']) : undefined),
    options.readyTimeoutMs ?? 30_000,
  ).catch(async (err: unknown) => {
    await stopChild(child, exited);
    throw err;
  });
  return {
    pid: child.pid!,
    ready,
    next,
    discard: (match) => {
      for (let i = lines.length - 1; i >= 0; i--) if (match(lines[i]!)) lines.splice(i, 1);
    },
    memory: () => memoryOf(child.pid!),
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Runs a command to its end; resolves with its wall time, exit code and output. */
export function timeCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Its own process group, so that a timeout ends it with everything it started (a browser).
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout = (stdout + c.toString('utf8')).slice(-20_000)));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-20_000)));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, stdout, stderr });
    });
  });
}
