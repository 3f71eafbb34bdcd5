import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../scripts/bench.ts';
import { BENCH_DIR } from './lib/paths.ts';
import { runBench } from './run.ts';

/**
 * The plumbing of `npm run bench -- --quick` on a tiny configuration: servers started as child
 * processes, the solution deployed, both sides measured, ratios, table and JSON. It asserts the
 * shape of the results, never a time.
 */
describe('runBench', () => {
  it('measures tickets beside the bare server, reports ratios and cleans up', async () => {
    const before = new Set(await readdir(BENCH_DIR).catch(() => []));
    const report = await runBench({ figures: ['tickets'], quick: true, tiny: true });

    expect(report.quick).toBe(true);
    expect(report.figures.map((f) => f.id)).toEqual(['tickets']);
    const [figure] = report.figures;
    expect(figure?.error).toBeUndefined();
    expect(figure?.rows.map((r) => r.label)).toEqual([
      expect.stringMatching(/^warm latency p50/),
      expect.stringMatching(/^warm latency p99/),
      'tickets, 1 client',
      'tickets, 4 clients',
    ]);
    for (const row of figure!.rows) {
      expect(row.ours?.n).toBe(2);
      expect(row.baselines['bare node:http']?.n).toBe(2);
      expect(row.ratios['bare node:http']).toBeGreaterThan(0);
    }
    expect(figure!.rows[0]!.target?.text).toBe('≤ 5 ms');

    const text = renderReport(report);
    expect(text).toContain('3. Upload tickets');
    expect(text).toContain('tickets, 4 clients');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const after = await readdir(BENCH_DIR);
    expect(after.filter((name) => !before.has(name))).toEqual([]);
  }, 180_000);

  it('reports a figure that cannot be measured instead of failing the run', async () => {
    const report = await runBench({
      figures: ['check'],
      tiny: true,
      // No Chromium anywhere: the check figure says so.
      env: { CHROMIUM_PATH: '/nonexistent/chromium' },
    });
    expect(report.figures[0]?.error).toMatch(/no Chromium found/);
    expect(renderReport(report)).toContain('NOT MEASURED');
  });
});
