#!/usr/bin/env tsx
/**
 * `npx tsx scripts/s3-compat.ts [--suite DIR] [--area NAME…] [--json FILE]`: runs areas of
 * ceph/s3-tests against a local AWS it starts on a free port with a temp data folder, and
 * prints passed / failed / skipped per area.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/server.ts';
import { AREA_NAMES, AREAS, SUITE_FILES } from './s3-compat/areas.ts';
import { EXTRA_KEYS, REPORT_PLUGIN, s3TestsConf } from './s3-compat/config.ts';

const PYTHON = '/usr/bin/python3';

const HELP = `Usage: npx tsx scripts/s3-compat.ts [--suite DIR] [--area NAME…] [--json FILE]

Runs ceph/s3-tests (a checkout; never fetched) against a local AWS started on a free port with a
temporary data folder, and prints passed / failed / skipped per area.
  --suite DIR      the s3-tests checkout        default $S3_TESTS_DIR, else ../s3-tests
  --area NAME      an area to run; repeat it, or separate names with commas   default all
                   ${AREA_NAMES.join(', ')}
  --json FILE      also write every test's outcome, markers and failure line as JSON
  -h, --help       this text
Needs ${PYTHON} with pytest, boto3, munch, isodate, pytz, requests, dateutil.
Exit codes: 0 the areas ran (whatever their scores), 1 pytest could not run, 2 usage.`;

interface TestResult {
  id: string;
  outcome: 'passed' | 'failed' | 'skipped' | 'error';
  markers: string[];
  message: string;
  teardownError?: string;
}

interface AreaResult {
  area: string;
  expression: string;
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
  tests: TestResult[];
}

function usage(message: string): never {
  process.stderr.write(`LAB_USAGE: ${message} Run with --help for the options.\n`);
  process.exit(2);
}

function readOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        suite: { type: 'string' },
        area: { type: 'string', multiple: true },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  // `--area a b` leaves b as a positional: it is an area too.
  const areas = [...(values.area ?? []), ...positionals].flatMap((a) => a.split(',')).filter(Boolean);
  const unknown = areas.filter((a) => !(a in AREAS));
  if (unknown.length) usage(`unknown area ${unknown.join(', ')}; choose from ${AREA_NAMES.join(', ')}.`);
  const suite = path.resolve(
    values.suite ?? process.env['S3_TESTS_DIR'] ?? path.join(process.cwd(), '..', 's3-tests'),
  );
  if (!existsSync(path.join(suite, SUITE_FILES[0]!)))
    usage(
      `no s3-tests checkout at ${suite} (${SUITE_FILES[0]} is missing); pass --suite DIR or set S3_TESTS_DIR.`,
    );
  return { suite, areas: areas.length ? [...new Set(areas)] : AREA_NAMES, json: values.json };
}

/** Runs pytest for one area; resolves with the JSON lines its plugin wrote. */
function runPytest(suite: string, work: string, expression: string, reportFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      PYTHON,
      [
        '-m',
        'pytest',
        ...SUITE_FILES,
        '-k',
        expression,
        '-p',
        's3compat_report',
        '-q',
        '--no-header',
        '-p',
        'no:cacheprovider',
      ],
      {
        cwd: suite,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: process.env['HOME'] ?? '/tmp',
          PYTHONPATH: [work, suite].join(':'),
          PYTHONDONTWRITEBYTECODE: '1',
          S3TEST_CONF: path.join(work, 's3tests.conf'),
          S3COMPAT_REPORT: reportFile,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_DEFAULT_REGION: 'us-east-1',
        },
      },
    );
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function readResults(file: string): Promise<TestResult[]> {
  const text = existsSync(file) ? await readFile(file, 'utf8') : '';
  const byId = new Map<string, TestResult>();
  for (const line of text.split('\n').filter(Boolean)) {
    const entry = JSON.parse(line) as {
      id: string;
      when: string;
      outcome: string;
      markers?: string[];
      message: string;
    };
    if (entry.when === 'teardown') {
      const test = byId.get(entry.id);
      if (test) test.teardownError = entry.message;
      continue;
    }
    byId.set(entry.id, {
      id: entry.id,
      outcome: entry.outcome as TestResult['outcome'],
      markers: entry.markers ?? [],
      message: entry.outcome === 'passed' ? '' : entry.message,
    });
  }
  return [...byId.values()];
}

async function main(): Promise<number> {
  const options = readOptions();
  const work = await mkdtemp(path.join(tmpdir(), 's3-compat-'));
  const emulator = await startEmulator({
    port: 0,
    dataDir: path.join(work, 'data'),
    quiet: true,
    credentials: [{ accessKeyId: 'test', secretAccessKey: 'test' }, ...Object.values(EXTRA_KEYS)],
  });
  const results: AreaResult[] = [];
  let broken = false;
  try {
    await writeFile(path.join(work, 's3tests.conf'), s3TestsConf(emulator.port));
    await writeFile(path.join(work, 's3compat_report.py'), REPORT_PLUGIN);
    for (const area of options.areas) {
      const expression = AREAS[area]!;
      const reportFile = path.join(work, `${area}.jsonl`);
      process.stderr.write(`s3-tests ${area}: -k "${expression}"\n`);
      const code = await runPytest(options.suite, work, expression, reportFile);
      // pytest: 0 all passed, 1 some failed, 5 none selected; anything else is a run that broke.
      if (![0, 1, 5].includes(code)) broken = true;
      const tests = await readResults(reportFile);
      const count = (o: TestResult['outcome']) => tests.filter((t) => t.outcome === o).length;
      const result = {
        area,
        expression,
        passed: count('passed'),
        failed: count('failed'),
        skipped: count('skipped'),
        errors: count('error'),
        tests,
      };
      results.push(result);
      process.stdout.write(
        `${area.padEnd(18)} ${String(result.passed).padStart(4)} passed ${String(result.failed).padStart(4)} failed ` +
          `${String(result.skipped).padStart(4)} skipped${result.errors ? ` ${result.errors} errors` : ''}\n`,
      );
    }
  } finally {
    await emulator.stop();
    await rm(work, { recursive: true, force: true });
  }
  if (options.json) {
    await writeFile(
      path.resolve(options.json),
      `${JSON.stringify({ suite: options.suite, areas: results }, null, 2)}\n`,
    );
    process.stderr.write(`results in ${options.json}\n`);
  }
  return broken ? 1 : 0;
}

process.exitCode = await main();
