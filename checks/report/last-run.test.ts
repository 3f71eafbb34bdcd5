import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabOutputs } from '../lib/outputs.ts';
import type { RowResult } from '../types.ts';
import { lastRunFile, readLastRun, recordLastRun } from './last-run.ts';

const target = (bucket: string) => ({ apiEndpoint: 'http://api.example', bucket }) as LabOutputs;
const row = (id: string, status: RowResult['status'], hintId?: string): RowResult => ({
  id,
  title: id,
  step: id,
  status,
  detail: `${id} is ${status}`,
  ...(hintId ? { hintId, hint: `change \`${id}\`` } : {}),
  evidence: {},
  startMs: 0,
  durationMs: 1,
});
const report = (bucket: string, results: RowResult[]) => ({
  results,
  summary: { passed: 0, failed: 0, skipped: 0, durationMs: 5 },
  target: target(bucket),
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-last-run-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the last-run record', () => {
  it('keeps the latest result of every row per stack, and who reached it when', async () => {
    const file = lastRunFile(dir);
    expect(file).toBe(path.join(dir, '.lab', 'last-run.json'));
    expect(await readLastRun(target('b1'), file)).toBeUndefined();
    const first = new Date('2026-12-01T10:00:00Z');
    await recordLastRun(
      report('b1', [row('api-cors', 'fail', 'api-cors.missing'), row('bucket-cors', 'pass')]),
      'npm run demo',
      file,
      first,
    );
    await recordLastRun(
      report('b1', [row('api-cors', 'pass')]),
      'npm run check',
      file,
      new Date('2026-12-01T10:05:00Z'),
    );
    const last = await readLastRun(target('b1'), file);
    expect(last?.by).toBe('npm run check');
    expect(last?.at).toBe('2026-12-01T10:05:00.000Z');
    expect(last?.rows.map((r) => [r.id, r.status, r.by])).toEqual([
      ['api-cors', 'pass', 'npm run check'],
      ['bucket-cors', 'pass', 'npm run demo'],
    ]);
    expect(last?.summary).toMatchObject({ passed: 2, failed: 0, skipped: 0 });
    // Another stack has its own record.
    expect(await readLastRun(target('b2'), file)).toBeUndefined();
  });

  it('keeps the hint and its id, and forgets the oldest stacks past eight', async () => {
    const file = path.join(dir, 'many.json');
    for (let i = 0; i < 10; i++)
      await recordLastRun(
        report(`s${i}`, [row('api-cors', 'fail', 'api-cors.missing')]),
        'npm run check',
        file,
      );
    expect(await readLastRun(target('s0'), file)).toBeUndefined();
    const kept = await readLastRun(target('s9'), file);
    expect(kept?.rows[0]?.hint).toEqual({ id: 'api-cors.missing', text: 'change `api-cors`' });
    const stored = JSON.parse(await readFile(file, 'utf8')) as { stacks: unknown[] };
    expect(stored.stacks).toHaveLength(8);
  });

  it('starts afresh over a file that is not its own, and never throws', async () => {
    const file = path.join(dir, 'garbage.json');
    await writeFile(file, 'not json');
    await recordLastRun(report('b1', [row('api-cors', 'pass')]), 'the lab page', file);
    expect((await readLastRun(target('b1'), file))?.rows).toHaveLength(1);
    // A folder in the way: the run goes on without a record.
    await expect(
      recordLastRun(report('b1', [row('api-cors', 'pass')]), 'npm run check', path.join(file, 'x.json')),
    ).resolves.toBeUndefined();
  });
});
