import type { Figure, Row, Table } from './results.ts';
import type { Summary } from './stats.ts';

/** A number with as many decimals as its size deserves: 1234, 123, 12.3, 1.23. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** `median (min–max)`, or the median alone for a single run; `—` when nothing was measured. */
export function formatSummary(summary: Summary | undefined): string {
  if (!summary) return '—';
  if (summary.n === 1 || summary.min === summary.max) return formatNumber(summary.median);
  return `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

export const formatRatio = (value: number | undefined): string =>
  value === undefined ? '—' : `${value.toFixed(2)}×`;

const looksNumeric = (cell: string) => /^[-\d.—]/.test(cell.trim());

/** Plain-text table: columns padded, numbers right-aligned, a rule under the header. */
export function renderTable(table: Table): string {
  const widths = table.headers.map((h, i) =>
    Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[], header: boolean) =>
    cells
      .map((cell, i) =>
        !header && i > 0 && looksNumeric(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [
    line(table.headers, true),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.rows.map((r) => line(r, false)),
  ].join('\n');
}

const arrow = (row: Row) => (row.better === 'higher' ? '↑' : '↓');

function targetCell(row: Row): string {
  if (!row.target) return '';
  const verdict = row.target.met === undefined ? '?' : row.target.met ? 'met' : 'MISSED';
  return `${row.target.text} ${verdict}`;
}

/** The ours-versus-baselines table of a figure (or the figure's own table). */
export function figureTable(figure: Figure): Table {
  if (figure.table) return figure.table;
  const headers = ['measure', 'unit', figure.ours];
  for (const name of figure.baselineNames) headers.push(name, `ours/${name}`);
  headers.push('target');
  const rows = figure.rows.map((row) => {
    const cells = [row.label, `${row.unit} ${arrow(row)}`, formatSummary(row.ours)];
    for (const name of figure.baselineNames)
      cells.push(
        name in row.baselines ? formatSummary(row.baselines[name]) : '',
        name in row.baselines ? formatRatio(row.ratios[name]) : '',
      );
    cells.push(targetCell(row));
    return cells;
  });
  return { headers, rows };
}

/** A figure as text: title, table, notes. */
export function renderFigure(figure: Figure, index: number): string {
  if (figure.error) return `${index}. ${figure.title}\n  NOT MEASURED: ${figure.error}`;
  const notes = [
    // A figure with its own table shows what the notes say in its cells.
    ...(figure.table ? [] : figure.rows.filter((r) => r.note).map((r) => `  ${r.label}: ${r.note}`)),
    ...figure.notes.map((n) => `  ${n}`),
  ].join('\n');
  return `${index}. ${figure.title}\n${renderTable(figureTable(figure))}${notes ? `\n${notes}` : ''}`;
}

export const LEGEND =
  'Cells: median (min–max) of the measured runs, after a warm-up. ↑ higher is better, ↓ lower is better. ' +
  'Ratios are ours / baseline of the medians.';
