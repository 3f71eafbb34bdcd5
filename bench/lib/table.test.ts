import { describe, expect, it } from 'vitest';
import { meets, withRatios, type Figure } from './results.ts';
import { summarize } from './stats.ts';
import { figureTable, formatNumber, formatSummary, renderFigure, renderTable } from './table.ts';

describe('formatting', () => {
  it('keeps about three significant digits', () => {
    expect([1234.5, 123.4, 12.34, 1.234, 3].map(formatNumber)).toEqual(['1235', '123', '12.3', '1.23', '3']);
  });

  it('writes a summary as median (min–max), a single run as its value, nothing as a dash', () => {
    expect(formatSummary(summarize([1.5, 2.5, 3.5]))).toBe('2.50 (1.50–3.50)');
    expect(formatSummary(summarize([1, 2, 3]))).toBe('2 (1–3)');
    expect(formatSummary(summarize([42]))).toBe('42');
    expect(formatSummary(undefined)).toBe('—');
  });
});

describe('renderTable', () => {
  it('pads columns, right-aligns numbers and rules the header', () => {
    const text = renderTable({
      headers: ['what', 'value'],
      rows: [
        ['a', '1'],
        ['longer', '100'],
      ],
    });
    expect(text.split('\n')).toEqual(['what    value', '------  -----', 'a           1', 'longer    100']);
  });
});

describe('figures', () => {
  const row = withRatios({
    label: 'upload 1 GiB',
    unit: 'MiB/s',
    better: 'higher',
    ours: summarize([400, 420]),
    baselines: { sink: summarize([500]), s3rver: undefined },
  });

  it('computes ours / baseline and leaves a missing baseline undefined', () => {
    expect(row.ratios['sink']).toBeCloseTo(0.82);
    expect(row.ratios['s3rver']).toBeUndefined();
  });

  it('judges a target in the row’s direction', () => {
    expect(meets(0.82, 'higher', 0.8)).toBe(true);
    expect(meets(6, 'lower', 5)).toBe(false);
    expect(meets(undefined, 'lower', 5)).toBeUndefined();
  });

  it('lays out one column per baseline and its ratio, and flags a missed target', () => {
    const figure: Figure = {
      id: 'uploads',
      title: 'Uploads',
      ours: 'local AWS',
      baselineNames: ['sink', 's3rver'],
      rows: [{ ...row, target: { text: '≥ 0.9× sink', met: false } }],
      notes: ['a note'],
    };
    const table = figureTable(figure);
    expect(table.headers).toEqual([
      'measure',
      'unit',
      'local AWS',
      'sink',
      'ours/sink',
      's3rver',
      'ours/s3rver',
      'target',
    ]);
    expect(table.rows[0]).toEqual([
      'upload 1 GiB',
      'MiB/s ↑',
      '410 (400–420)',
      '500',
      '0.82×',
      '—',
      '—',
      '≥ 0.9× sink MISSED',
    ]);
    const text = renderFigure(figure, 2);
    expect(text.startsWith('2. Uploads\n')).toBe(true);
    expect(text.endsWith('\n  a note')).toBe(true);
  });

  it('says why a figure was not measured instead of a table', () => {
    const failed: Figure = {
      id: 'check',
      title: 'Check',
      ours: 'x',
      baselineNames: [],
      rows: [],
      notes: [],
      error: 'no Chromium',
    };
    expect(renderFigure(failed, 1)).toBe('1. Check\n  NOT MEASURED: no Chromium');
  });
});
