import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseFigures, renderFigures } from './soak.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

async function soak(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/soak.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, ...out };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run soak', () => {
  it('reads the figures lines out of vitest output, colours and all, in both forms, and totals them', () => {
    const output = [
      ' ✓ test/reliability/crash.test.ts (1 test) 40000ms',
      'stdout | test/reliability/crash.test.ts > SIGKILL',
      '\u001b[22m\u001b[39m[figures] crash: cases=100 faults=3 lost=0 kills=2',
      '[figures] concurrency: cases=200 faults=0 lost=1 peakInFlight=100',
      '[fuzz-wire-s3] cases 800 · faults injected 800 (body:100) · objects lost 0 · scale 1 · seed 7',
      '[aws] local AWS listening on http://localhost:4566',
      'something else: cases=5',
    ].join('\n');
    const figures = parseFigures(output);
    expect(figures.map(({ suite, cases, faults, lost }) => ({ suite, cases, faults, lost }))).toEqual([
      { suite: 'crash', cases: 100, faults: 3, lost: 0 },
      { suite: 'concurrency', cases: 200, faults: 0, lost: 1 },
      { suite: 'fuzz-wire-s3', cases: 800, faults: 800, lost: 0 },
    ]);
    const text = renderFigures(figures, 10);
    expect(text.split('\n')[0]).toBe('Reliability figures (RELIABILITY_SCALE=10):');
    expect(text).toContain('  crash         cases=100 faults=3 lost=0 kills=2');
    expect(text.split('\n').at(-1)).toBe('  total         cases=1100 faults=803 lost=1');
    expect(renderFigures([], 1)).toContain('(no suite printed figures)');
  });

  it('prints its usage, and refuses a scale that is not a positive number', async () => {
    const help = await soak('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run soak -- \[--scale N\] \[--only NAME,…\] \[--runs N\]/);
    const bad = await soak('--scale', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^LAB_USAGE: --scale must be a positive number, not "0"\./);
    const runs = await soak('--runs', '0');
    expect(runs.code).toBe(2);
    expect(runs.stderr).toMatch(/^LAB_USAGE: --runs must be a whole number of at least 1, not "0"\./);
  });
});
