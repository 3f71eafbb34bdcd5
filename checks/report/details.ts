import type { RowResult } from '../types.ts';
import { paint, STATUS_LABEL, STATUS_STYLE, wrap, type Screen } from './screen.ts';

/** The lines under a row that did not pass: what was seen, then what to change, then the hint id. */
export function rowDetails(screen: Screen, r: RowResult, indent = '       '): string {
  const lines: string[] = [];
  if (r.status === 'pass') return '';
  lines.push(`${indent}${wrap(r.detail, screen.width, indent)}`);
  if (r.hint) {
    const label = paint(screen, 'bold', 'Fix:');
    lines.push(`${indent}${label} ${wrap(r.hint, screen.width - 5, `${indent}     `)}`);
  }
  if (r.hintId) lines.push(`${indent}${paint(screen, 'dim', `(${r.hintId})`)}`);
  return `${lines.join('\n')}\n`;
}

export function statusLabel(screen: Screen, r: Pick<RowResult, 'status'>): string {
  return paint(screen, STATUS_STYLE[r.status], STATUS_LABEL[r.status].padEnd(5));
}

export function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n} ms`;
}
