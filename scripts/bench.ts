#!/usr/bin/env tsx
/**
 * `npm run bench -- [--quick] [--json FILE] [--only ID,…]`: measures the local AWS and the upload
 * path, each figure beside its baseline in the same run, prints the tables and writes JSON.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_JSON } from '../bench/lib/paths.ts';
import { FIGURE_IDS, type BenchReport, type FigureId } from '../bench/lib/results.ts';
import { LEGEND, renderFigure } from '../bench/lib/table.ts';
import { runBench } from '../bench/run.ts';
import { flagString, isMain, parseFlags, printNote, runCli } from './lib/cli.ts';
import { usageError } from './lib/errors.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const HELP = `Usage: npm run bench -- [--quick] [--json FILE] [--only ID,…]

Measures, each beside its baseline in the same run (warm-up, then several runs; median and
min–max), on servers it starts itself on free ports:
  check    npm run check against the local solution vs. a bare Chromium page load
  uploads  presigned POST uploads into the local AWS vs. a streaming sink and s3rver
  tickets  POST /upload-url through the HTTP API vs. a bare node:http server
  proxy    direct upload with a ticket vs. the file through the API (6 MB / 10 MB limits)
  multipart  aws s3 cp (multipart) of 100 MiB and 1 GiB into the local AWS vs. s3rver and cp + sync

  --quick       about a minute: fewer runs, no 1 GiB upload, no 50 MB proxied upload
  --json FILE   where to write the results                       default .lab/bench.json
  --only IDS    only these figures, comma-separated
  -h, --help    this text
Exit codes: 0 every figure was measured (targets missed included), 1 a figure could not be, 2 usage.`;

export async function main(args: string[]): Promise<boolean> {
  const flags = parseFlags(args, { boolean: ['quick'], string: ['json', 'only'] });
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return true;
  }
  if (flags._.length) throw usageError(`unexpected argument "${flags._[0]}".`);
  const only = flagString(flags, 'only')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only?.filter((id) => !(FIGURE_IDS as readonly string[]).includes(id));
  if (unknown?.length)
    throw usageError(`unknown figure ${unknown.join(', ')}; choose from ${FIGURE_IDS.join(', ')}.`);
  const jsonFile = path.resolve(flagString(flags, 'json') ?? DEFAULT_JSON);
  const report = await runBench({
    quick: flags['quick'] === true,
    ...(only ? { figures: only as FigureId[] } : {}),
    log: (message) => printNote(`  ${message}`),
  });
  process.stdout.write(`${renderReport(report)}\n`);
  await mkdir(path.dirname(jsonFile), { recursive: true });
  await writeFile(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  printNote(`results in ${path.relative(process.cwd(), jsonFile) || jsonFile}`);
  return report.figures.every((f) => !f.error);
}

export function renderReport(report: BenchReport): string {
  const m = report.machine;
  const head =
    `bench${report.quick ? ' --quick' : ''} on ${report.date.slice(0, 10)}: ${m.cpus} × ${m.cpuModel}, ` +
    `${m.memoryGiB} GiB, Node ${m.node}, ${(report.durationMs / 1000).toFixed(0)} s\n${LEGEND}`;
  return [head, ...report.figures.map((f) => renderFigure(f, FIGURE_IDS.indexOf(f.id) + 1))].join('\n\n');
}

if (isMain(import.meta.url)) {
  let ok = true;
  await runCli(async () => {
    ok = await main(process.argv.slice(2));
  });
  if (!ok) process.exitCode = 1;
}
