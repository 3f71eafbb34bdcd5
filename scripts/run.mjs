#!/usr/bin/env node
// @ts-check
// `node scripts/run.mjs <entry.ts> [args…]`: what every npm script runs. Runs a TypeScript entry
// point of the lab with plain Node, as an esbuild bundle cached in .lab/build/run/ and rebuilt only
// when one of its sources changed — no tsx at run time, which costs ~30 MiB and ~0.65 s in every
// process (issue 8). The bundle runs in this process: same argv, same exit code.
// LAB_NO_BUNDLE=1 runs the entry through tsx instead; LAB_BUILD_DIR moves the cache;
// LAB_BUILD_LOG=1 prints a line for every build (also shown on a terminal).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleFor } from './launcher/cache.mjs';
import { REPO_ROOT } from './launcher/stamp.mjs';

const USAGE = `Usage: node scripts/run.mjs <entry.ts> [args…]

Runs a TypeScript entry point of the lab (e.g. checks/cli.ts) as a cached esbuild bundle.
  LAB_NO_BUNDLE=1     run it through tsx instead (no bundle)
  LAB_BUILD_DIR=DIR   where bundles are kept (default .lab/build/run)
  LAB_BUILD_LOG=1     say when a bundle is built`;

/** The entry as given, from the current folder, else from the repository. */
function resolveEntry(/** @type {string} */ given) {
  const candidates = path.isAbsolute(given) ? [given] : [path.resolve(given), path.resolve(REPO_ROOT, given)];
  return candidates.find((file) => existsSync(file));
}

// The AWS SDK prints a 9-line notice on Node 20 when a client is made; no user asked for it.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const [given, ...args] = process.argv.slice(2);
if (!given || given === '--help' || given === '-h') {
  process.stderr.write(`${USAGE}\n`);
  process.exit(given ? 0 : 2);
}
const entry = resolveEntry(given);
if (!entry) {
  process.stderr.write(`LAB_USAGE: ${given} does not exist. Name an entry point such as checks/cli.ts.\n`);
  process.exit(2);
}
// The program sees itself as `node <entry> args…`, as under tsx, so its own isMain() holds.
process.argv = [process.argv[0] ?? process.execPath, entry, ...args];
if (process.env['LAB_NO_BUNDLE'] === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
} else {
  const built = bundleFor(entry);
  // A build that failed has said why (LAB_BUILD_FAILED); 2, as for any other setup error.
  if ('status' in built) process.exit(built.status);
  // Stack traces point at the TypeScript lines (the bundle's linked source map).
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(built.bundle).href);
}
