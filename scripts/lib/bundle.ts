import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { LabError } from './errors.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FUNCTIONS_DIR = path.join(REPO_ROOT, 'solution', 'functions');

/**
 * A fixed timestamp, so the same code always zips to the same bytes and the same CodeSha256.
 * Zip stores local time; a local-time Date gives the same bytes in every time zone.
 */
const ZIP_MTIME = new Date(2024, 0, 1);
/** Some CommonJS dependencies of the SDK call `require` for Node built-ins; ESM has none. */
const REQUIRE_SHIM =
  "import { createRequire as __labCreateRequire } from 'node:module';\nconst require = __labCreateRequire(import.meta.url);";

export interface FunctionBundle {
  zip: Uint8Array;
  /** Base64 SHA-256 of the zip, as Lambda reports `CodeSha256`. */
  sha256: string;
}

interface CacheEntry {
  inputs: string[];
  stamp: string;
  bundle: FunctionBundle;
}
/** Bundling takes ~0.5 s per function; reuse the result while none of its input files changed. */
const cache = new Map<string, CacheEntry>();

function stampOf(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    try {
      const st = statSync(path.resolve(REPO_ROOT, file));
      hash.update(`${file}:${st.size}:${st.mtimeMs};`);
    } catch {
      hash.update(`${file}:missing;`);
    }
  }
  return hash.digest('hex');
}

/**
 * Bundles `solution/functions/<dir>/index.ts` with its dependencies (the AWS SDK included, so
 * its version is the one pinned here) into one `index.mjs`, and zips it deterministically.
 */
export async function bundleFunction(
  dir: string,
  functionsDir = FUNCTIONS_DIR,
  options: { cache?: boolean } = {},
): Promise<FunctionBundle> {
  const entry = path.join(functionsDir, dir, 'index.ts');
  if (!existsSync(entry)) {
    throw new LabError(
      'LAB_BUNDLE_FAILED',
      `${path.relative(REPO_ROOT, entry)} does not exist; the function's source is missing.`,
    );
  }
  const cached = cache.get(entry);
  if (options.cache !== false && cached && stampOf(cached.inputs) === cached.stamp) return cached.bundle;
  let code: Uint8Array;
  let inputs: string[];
  try {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      outfile: 'index.mjs',
      write: false,
      banner: { js: REQUIRE_SHIM },
      legalComments: 'none',
      logLevel: 'silent',
      metafile: true,
    });
    inputs = Object.keys(result.metafile.inputs);
    const out = result.outputFiles[0];
    if (!out) throw new Error('esbuild produced no output');
    code = out.contents;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new LabError(
      'LAB_BUNDLE_FAILED',
      `could not bundle ${path.relative(REPO_ROOT, entry)}: ${message}`,
      {
        cause: err,
      },
    );
  }
  const zip = zipSync({ 'index.mjs': [code, { mtime: ZIP_MTIME, level: 9 }] });
  const bundle = { zip, sha256: createHash('sha256').update(zip).digest('base64') };
  cache.set(entry, { inputs, stamp: stampOf(inputs), bundle });
  return bundle;
}
