// @ts-check
// Where a bundle lives, and getting a fresh one: the stamp is checked on every launch; a missing
// or stale bundle is rebuilt by build.mjs in a child process.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFresh, REPO_ROOT } from './stamp.mjs';

/**
 * `LAB_BUILD_DIR`, else `.lab/build/run/` in the repository (git-ignored): a folder of its own,
 * since LAB.md's CLI steps put the student's function zip in `.lab/build/`.
 */
export const buildDir = () =>
  process.env['LAB_BUILD_DIR']
    ? path.resolve(process.env['LAB_BUILD_DIR'])
    : path.join(REPO_ROOT, '.lab', 'build', 'run');

/** `checks/cli.ts` → `checks-cli`; a file outside the repository gets a hash of its path. */
export function bundleName(/** @type {string} */ entry) {
  const rel = path.relative(REPO_ROOT, entry);
  const base = path.basename(entry).replace(/\.[cm]?[jt]s$/, '');
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    return `outside-${createHash('sha256').update(entry).digest('hex').slice(0, 10)}-${base}`;
  }
  return rel.replace(/\.[cm]?[jt]s$/, '').replaceAll(/[\\/]/g, '-');
}

const BUILDER = fileURLToPath(new URL('./build.mjs', import.meta.url));

/**
 * The path of a fresh bundle of `entry` (absolute), built first when missing or stale, in a
 * child process, so this one's memory is the same whether it built or not. A build says so on
 * stderr when `LAB_BUILD_LOG=1` or stderr is a terminal. Returns the builder's exit status
 * instead when the build failed (it has printed why).
 * @param {string} entry
 * @returns {{ bundle: string } | { status: number }}
 */
export function bundleFor(entry) {
  const name = bundleName(entry);
  const bundle = path.join(buildDir(), `${name}.mjs`);
  const stampFile = path.join(buildDir(), `${name}.stamp.json`);
  if (isFresh(entry, bundle, stampFile)) return { bundle };
  const started = performance.now();
  const built = spawnSync(process.execPath, [BUILDER, entry, bundle, stampFile], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) return { status: built.status ?? 1 };
  if (process.env['LAB_BUILD_LOG'] === '1' || process.stderr.isTTY) {
    const ms = Math.round(performance.now() - started);
    process.stderr.write(`lab: built ${path.relative(process.cwd(), bundle) || bundle} in ${ms} ms\n`);
  }
  return { bundle };
}
