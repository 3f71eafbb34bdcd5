import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The launcher, as the npm scripts run it. */
export const RUN = fileURLToPath(new URL('../run.mjs', import.meta.url));

export interface Launch {
  code: number | null;
  stdout: string;
  stderr: string;
  /** How many bundles this launch built (its `lab: built …` lines; tests set LAB_BUILD_LOG=1). */
  builds: number;
}

/**
 * Runs `node scripts/run.mjs <entry> …args` to its end, with `env` added to this process's
 * (a variable given as `undefined` is removed).
 */
export function launch(
  entry: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<Launch> {
  const merged: NodeJS.ProcessEnv = { ...process.env, LAB_BUILD_LOG: '1', ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, entry, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: merged,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, stdout, stderr, builds: stderr.match(/^lab: built /gm)?.length ?? 0 }),
    );
  });
}
