import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROW_IDS } from '../row-ids.ts';
import { rows } from '../rows/index.ts';
import type { RowResult } from '../types.ts';
import { describeReport, SELF_TEST_MISSING, startStack, type Stack } from './stack.ts';

/** Every row a row relies on, transitively. */
function allNeeds(id: string): string[] {
  const needs = rows.find((r) => r.id === id)?.needs ?? [];
  return [...new Set(needs.flatMap((n) => [n, ...allNeeds(n)]))];
}

describe.skipIf(SELF_TEST_MISSING)('the track: the baseline, then each step in order', () => {
  let stack: Stack;
  let ownChange: (id: string) => boolean;
  beforeAll(async () => {
    const { LAB_STEPS } = await import('../../scripts/lib/steps.ts');
    ownChange = (id) => (LAB_STEPS.find((s) => s.id === id)?.resources.length ?? 0) > 0;
    stack = await startStack('baseline');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('fails each row before its step, then passes it and every earlier row', async () => {
    let report = await stack.check();
    for (const [i, id] of ROW_IDS.entries()) {
      const seen = `before solving ${id}:\n${describeReport(report)}`;
      const byId = new Map<string, RowResult>(report.results.map((r) => [r.id, r]));
      const row = byId.get(id);
      const blocked = allNeeds(id).some((n) => byId.get(n)?.status !== 'pass');
      if (ownChange(id)) {
        expect(row?.status, seen).toBe('fail');
        expect(row?.hintId?.startsWith(`${id}.`), seen).toBe(true);
      } else if (blocked) {
        // A row that verifies earlier steps cannot pass while they fail.
        expect(['fail', 'skip'], seen).toContain(row?.status);
      }
      for (const earlier of ROW_IDS.slice(0, i))
        expect(byId.get(earlier)?.status, `${earlier}, ${seen}`).toBe('pass');

      await stack.solve(id);
      report = await stack.check();
      const after = `after solving ${id}:\n${describeReport(report)}`;
      for (const done of ROW_IDS.slice(0, i + 1)) {
        expect(report.results.find((r) => r.id === done)?.status, `${done}, ${after}`).toBe('pass');
      }
      for (const r of report.results) {
        // No row ever passes while a row it needs does not.
        if (r.status === 'pass')
          for (const n of allNeeds(r.id))
            expect(report.results.find((x) => x.id === n)?.status, after).toBe('pass');
      }
    }
  }, 600_000);
});
