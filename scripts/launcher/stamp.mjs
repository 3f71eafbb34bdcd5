// @ts-check
// Is a cached bundle still good? Read on every launch, so it must cost a few milliseconds: no
// esbuild, no hashing, one stat per project source and one per package.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The launcher's own files and esbuild: a change to any of them rebuilds every bundle. */
const LAUNCHER_FILES = [
  fileURLToPath(new URL('../run.mjs', import.meta.url)),
  fileURLToPath(new URL('./stamp.mjs', import.meta.url)),
  fileURLToPath(new URL('./build.mjs', import.meta.url)),
  fileURLToPath(new URL('./cache.mjs', import.meta.url)),
  path.join(REPO_ROOT, 'node_modules', 'esbuild', 'package.json'),
  path.join(REPO_ROOT, 'tsconfig.base.json'),
];

/**
 * @typedef {object} Stamp
 * @property {number} version
 * @property {string} entry absolute path of the entry point
 * @property {Array<[string, string]>} files absolute path and signature of every file that decides the bundle
 */
const VERSION = 1;

/** Size, mtime and ctime: ctime changes on every write and on a reinstall, even when mtime is kept. */
export function signature(/** @type {string} */ file) {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? `${st.size}:${st.mtimeMs}:${st.ctimeMs}` : 'missing';
}

/**
 * The files to watch for a bundle built from these esbuild metafile inputs (paths relative to
 * `cwd`): every project source, but for a package only its package.json, which every install
 * rewrites — stat-ing the AWS SDK file by file would cost ~20 ms per launch.
 * @param {string[]} inputs
 * @param {string} cwd
 */
export function watchedFiles(inputs, cwd) {
  const files = new Set(LAUNCHER_FILES);
  for (const input of inputs) {
    const file = path.resolve(cwd, input);
    const pkg = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
    files.add(pkg ? path.join(pkg[1] ?? '', 'package.json') : file);
  }
  return [...files].sort();
}

/**
 * A stamp of `files` as they are now, or undefined when one of them changed after `since` (ms):
 * it may have changed while esbuild read it, so the next launch must build again.
 * @param {string} entry
 * @param {string[]} files
 * @param {number} since
 * @returns {Stamp | undefined}
 */
export function stampOf(entry, files, since) {
  /** @type {Array<[string, string]>} */
  const signed = [];
  for (const file of files) {
    const st = statSync(file, { throwIfNoEntry: false });
    if (st && Math.max(st.mtimeMs, st.ctimeMs) >= since) return undefined;
    signed.push([file, signature(file)]);
  }
  return { version: VERSION, entry, files: signed };
}

/**
 * True when the bundle exists and the stamp beside it matches every watched file.
 * @param {string} entry
 * @param {string} bundle
 * @param {string} stampFile
 */
export function isFresh(entry, bundle, stampFile) {
  /** @type {Stamp} */
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  if (stamp.version !== VERSION || stamp.entry !== entry || !Array.isArray(stamp.files)) return false;
  if (signature(bundle) === 'missing') return false;
  return stamp.files.every(([file, sig]) => signature(file) === sig);
}
