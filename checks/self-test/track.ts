import { expect } from 'vitest';
import type { RunReport } from '../runner.ts';
import { ROW_IDS } from '../row-ids.ts';
import { rows } from '../rows/index.ts';
import type { RowResult } from '../types.ts';
import { describeReport, type Stack } from './stack.ts';

/** Every row a row relies on, transitively. */
function allNeeds(id: string): string[] {
  const needs = rows.find((r) => r.id === id)?.needs ?? [];
  return [...new Set(needs.flatMap((n) => [n, ...allNeeds(n)]))];
}

/**
 * The track, as a student walks it: from the baseline, each step in order. Before its step a row
 * fails (or, if it only verifies earlier steps, cannot pass); right after it, it passes with every
 * earlier row. Returns every report, so a caller can look at how the checker got there.
 */
export async function walkTrack(stack: Stack): Promise<RunReport[]> {
  const { LAB_STEPS } = await import('../../scripts/lib/steps.ts');
  const ownChange = (id: string) => (LAB_STEPS.find((s) => s.id === id)?.resources.length ?? 0) > 0;
  const reports: RunReport[] = [];
  let report = await stack.check();
  reports.push(report);
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
    reports.push(report);
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
  return reports;
}
