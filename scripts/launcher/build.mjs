// @ts-check
// Bundles one entry point of the lab with esbuild into .lab/build/run/. Run as its own process
// (`node build.mjs ENTRY BUNDLE STAMP`) by the launcher when a bundle is missing or stale, so that
// the program it launches never carries esbuild or the build's garbage in its memory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { REPO_ROOT, stampOf, watchedFiles } from './stamp.mjs';

/**
 * Packages left to Node to load from node_modules, as they are: playwright-core and esbuild find
 * files and binaries next to themselves; s3rver and zx read files beside their modules (zx's
 * vendored code uses __dirname); tsx, vitest and typescript are tools, never run code here.
 * Everything else (the AWS SDK above all) is bundled, which is what makes start-up fast.
 */
export const EXTERNAL = ['playwright-core', 'esbuild', 's3rver', 'zx', 'tsx', 'vitest', 'typescript'];

/** Bundled CommonJS (busboy, parts of the SDK) calls `require` for Node built-ins; ESM has none. */
const REQUIRE_SHIM =
  "import { createRequire as __labCreateRequire } from 'node:module';\nconst require = __labCreateRequire(import.meta.url);";

/** The project's own compiler options, so that a file esbuild transforms alone compiles as in the bundle. */
const COMPILER_OPTIONS = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tsconfig.base.json'), 'utf8'))[
  'compilerOptions'
];

export class LaunchError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

/**
 * A bundle moves every module into .lab/build/run/, so `import.meta.url`, `.dirname` and `.filename`
 * in the project's own sources are replaced with their original file's, and every path built from
 * them (REPO_ROOT, the Lambda bootstraps, site/public, …) resolves as it did unbundled. esbuild's
 * `define` replaces expressions, not text, so a string that mentions `import.meta.url` is kept.
 * @returns {esbuild.Plugin}
 */
function moduleMetaPlugin() {
  return {
    name: 'lab-module-meta',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
        const source = await readFile(args.path, 'utf8');
        const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js';
        if (!source.includes('import.meta')) return { contents: source, loader };
        const { code } = await esbuild.transform(source, {
          loader,
          sourcefile: args.path,
          sourcemap: 'inline',
          tsconfigRaw: { compilerOptions: COMPILER_OPTIONS },
          define: {
            'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
            'import.meta.dirname': JSON.stringify(path.dirname(args.path)),
            'import.meta.filename': JSON.stringify(args.path),
          },
        });
        return { contents: code, loader: 'js' };
      });
    },
  };
}

/** One line per esbuild error, `file:line:column: text`, as an editor links them. */
function describe(/** @type {unknown} */ err) {
  const errors = /** @type {{ errors?: esbuild.Message[] }} */ (err).errors;
  if (!Array.isArray(errors) || errors.length === 0) return err instanceof Error ? err.message : String(err);
  return errors
    .map(({ text, location: at }) =>
      at ? `${path.relative(REPO_ROOT, at.file) || at.file}:${at.line}:${at.column + 1}: ${text}` : text,
    )
    .join('\n');
}

/** Writes through a temporary name and renames, so a concurrent launch never reads half a file. */
function writeAtomic(/** @type {string} */ file, /** @type {string | Uint8Array} */ contents) {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, contents);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Bundles `entry` into `bundle` (ESM for Node 20, linked source map), then writes the stamp that
 * `isFresh` checks. Throws LaunchError LAB_BUILD_FAILED with esbuild's messages.
 * @param {string} entry absolute path
 * @param {string} bundle absolute path of the .mjs to write
 * @param {string} stampFile
 */
export async function buildBundle(entry, bundle, stampFile) {
  // A margin for the file system's coarse clock: a file written during the build must not look older.
  const started = Date.now() - 20;
  /** @type {esbuild.BuildResult<{ write: false; metafile: true }>} */
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      outfile: bundle,
      write: false,
      metafile: true,
      sourcemap: 'linked',
      sourcesContent: false,
      banner: { js: REQUIRE_SHIM },
      external: EXTERNAL,
      plugins: [moduleMetaPlugin()],
      logLevel: 'silent',
    });
  } catch (err) {
    const name = path.relative(REPO_ROOT, entry) || entry;
    throw new LaunchError(
      'LAB_BUILD_FAILED',
      `could not bundle ${name}:\n${describe(err)}\nFix the error above and run the command again` +
        ` (or run it through tsx with LAB_NO_BUNDLE=1 to see how tsx reports it).`,
    );
  } finally {
    // esbuild's service process would otherwise live (and hold memory) as long as the program.
    await esbuild.stop();
  }
  mkdirSync(path.dirname(bundle), { recursive: true });
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  const code = result.outputFiles.find((f) => !f.path.endsWith('.map'));
  if (!code) throw new LaunchError('LAB_BUILD_FAILED', `esbuild wrote no bundle for ${entry}.`);
  if (map) writeAtomic(`${bundle}.map`, map.contents);
  writeAtomic(bundle, code.contents);
  const stamp = stampOf(entry, watchedFiles(Object.keys(result.metafile.inputs), REPO_ROOT), started);
  if (stamp) writeAtomic(stampFile, JSON.stringify(stamp));
  else rmSync(stampFile, { force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry, bundle, stampFile] = process.argv.slice(2);
  if (!entry || !bundle || !stampFile) throw new Error('usage: node build.mjs ENTRY BUNDLE STAMP_FILE');
  try {
    await buildBundle(entry, bundle, stampFile);
  } catch (err) {
    if (!(err instanceof LaunchError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
  }
}
