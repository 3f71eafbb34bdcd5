import type { RowResult, RunEvent } from '../types.ts';
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
  if (r.tries)
    lines.push(
      `${indent}${paint(screen, 'dim', `(checked ${r.tries.count} times: AWS may have been applying a recent change)`)}`,
    );
  return `${lines.join('\n')}\n`;
}

/** What a row waiting to be checked again says on screen. */
export function retryLine(e: Extract<RunEvent, { type: 'row-retry' }>, short = false): string {
  const s = (n: number) => `${Math.round(n / 1000)} s`;
  // The live table has the width of a row's title for it.
  const what = short ? 'AWS may still be applying a change' : 'AWS may still be applying a recent change';
  return `${what} — checking again (${s(e.waitedMs)} / up to ${s(e.limitMs)})`;
}

export function statusLabel(screen: Screen, r: Pick<RowResult, 'status'>): string {
  return paint(screen, STATUS_STYLE[r.status], STATUS_LABEL[r.status].padEnd(5));
}

export function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n} ms`;
}
