import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsErrorCode } from '../lib/aws.ts';
import { hintIds } from '../hints.ts';
import { ROW_IDS } from '../row-ids.ts';
import { rows } from '../rows/index.ts';
import { mutations } from './mutations.ts';
import { dependents, describeReport, SELF_TEST_MISSING, startStack, type Stack } from './stack.ts';

describe('the mutation catalog', () => {
  it('holds at least 15 distinct mistakes, each failing known rows with hints of those rows', () => {
    expect(mutations.length).toBeGreaterThanOrEqual(15);
    expect(new Set(mutations.map((m) => m.id)).size).toBe(mutations.length);
    for (const m of mutations) {
      expect(Object.keys(m.fails).length).toBeGreaterThan(0);
      for (const [row, hintId] of Object.entries(m.fails)) {
        expect(ROW_IDS).toContain(row);
        expect(hintIds).toContain(hintId);
        expect(hintId?.startsWith(`${row}.`)).toBe(true);
      }
    }
  });

  it('covers every row the lab asks about', () => {
    const covered = new Set(mutations.flatMap((m) => Object.keys(m.fails)));
    for (const id of ROW_IDS)
      if (id !== 'browser-upload' && id !== 'dashboard') expect(covered).toContain(id);
    expect(covered).toContain('browser-upload');
    expect(covered).toContain('dashboard');
  });
});

/** The local AWS answers this way for an operation it does not offer. */
function unsupported(err: unknown): boolean {
  const code = awsErrorCode(err) ?? '';
  return (
    /NotImplemented|UnknownOperation|UnsupportedOperation/.test(code) ||
    /does not emulate|not (yet )?implemented/i.test(String((err as Error).message))
  );
}

describe.skipIf(SELF_TEST_MISSING)('each mistake applied to the solution', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('solution');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('the solution passes every row', async () => {
    const report = await stack.check();
    expect(
      report.results.filter((r) => r.status !== 'pass'),
      describeReport(report),
    ).toEqual([]);
    expect(report.results.map((r) => r.id)).toEqual([...ROW_IDS]);
  });

  for (const m of mutations) {
    it(`${m.id}: ${m.mistake}`, async (t) => {
      const env = { aws: stack.aws, outputs: stack.outputs, frontendDir: stack.frontendDir };
      let revert: (() => Promise<void>) | undefined;
      try {
        revert = await m.apply(env);
      } catch (err) {
        if (unsupported(err)) t.skip(`the local AWS cannot apply this mistake: ${(err as Error).message}`);
        throw err;
      }
      try {
        const report = await stack.check();
        const seen = describeReport(report);
        const failing = Object.keys(m.fails);
        const skipped = dependents(rows, failing);
        const expected = report.results.map((r) => ({
          id: r.id,
          status: failing.includes(r.id) ? 'fail' : skipped.includes(r.id) ? 'skip' : 'pass',
          hintId: m.fails[r.id],
        }));
        const actual = report.results.map((r) => ({ id: r.id, status: r.status, hintId: r.hintId }));
        expect(actual, seen).toEqual(expected);
        const said = report.results
          .filter((r) => r.status === 'fail')
          .map((r) => `${r.detail}\n${r.hint ?? ''}`)
          .join('\n');
        for (const pattern of m.shows ?? []) expect(said).toMatch(pattern);
        expect(report.leftovers).toEqual([]);
      } finally {
        await revert();
      }
    });
  }

  it('passes again after every revert, and left none of its own objects in the bucket', async () => {
    const report = await stack.check();
    expect(
      report.results.filter((r) => r.status !== 'pass'),
      describeReport(report),
    ).toEqual([]);
    const listed = await stack.aws.s3.send(new ListObjectsV2Command({ Bucket: stack.outputs.bucket }));
    const ours = (listed.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k.includes('lab-check-'));
    expect(ours).toEqual([]);
    // Every run used the stack's browser and gave it back open: Chromium started once.
    expect(stack.browser.launches).toBe(1);
  });
});
