import { describe, expect, it } from 'vitest';
import { hasAwsCli } from '../emulator/test-support/aws-cli.ts';
import { renderReport } from '../scripts/bench.ts';
import { runBench } from './run.ts';

/** The multipart figure's plumbing on the tiny plan (one 9 MiB `aws s3 cp` each); shapes, never times. */
describe.skipIf(!hasAwsCli)('the multipart bench figure', () => {
  it('measures aws s3 cp into the local AWS beside s3rver and cp + sync, with peak RSS', async () => {
    const report = await runBench({ figures: ['multipart'], tiny: true });
    const [figure] = report.figures;
    expect(figure?.error).toBeUndefined();
    expect(figure!.rows.map((r) => r.label)).toEqual(['aws s3 cp 9 MiB', 'server peak RSS, 9 MiB']);
    const [speed, memory] = figure!.rows;
    expect(speed!.ours?.n).toBe(1);
    expect(speed!.ratios['s3rver']).toBeGreaterThan(0);
    expect(speed!.ratios['cp + sync']).toBeGreaterThan(0);
    expect(memory!.ours?.median).toBeGreaterThan(0);
    expect(renderReport(report)).toContain('aws s3 cp 9 MiB');
  }, 180_000);
});
