/**
 * How hard the reliability suites push, and the one line of figures each prints.
 * `RELIABILITY_SCALE` (default 1) multiplies their counts; `npm run soak` sets it to 10.
 */
export function reliabilityScale(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['RELIABILITY_SCALE'];
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0)
    throw new Error(`RELIABILITY_SCALE must be a positive number, not "${raw}"`);
  return scale;
}

/** `base` times the scale, at least 1. */
export const scaled = (base: number): number => Math.max(1, Math.round(base * reliabilityScale()));

export interface Figures {
  /** Cases tried (uploads, requests, runs). */
  cases: number;
  /** Faults injected (kills, throttled calls, bad credentials, ...). */
  faults: number;
  /** Objects or records lost: every suite asserts 0, and prints what it saw. */
  lost: number;
  [more: string]: number | string;
}

/** The line `npm run soak` collects: `[figures] <suite>: cases=… faults=… lost=… …`. */
export function figuresLine(suite: string, figures: Figures): string {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${v}`);
  return `[figures] ${suite}: ${parts.join(' ')}`;
}

export function printFigures(suite: string, figures: Figures): void {
  console.log(figuresLine(suite, figures));
}
