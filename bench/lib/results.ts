import type { Summary } from './stats.ts';

export type Better = 'higher' | 'lower';

/** One measured quantity: ours beside each baseline, from the same run. */
export interface Row {
  /** What was measured, e.g. `upload 100 MiB`. */
  label: string;
  unit: string;
  better: Better;
  /** Undefined when every run failed (the reason is in `note`). */
  ours: Summary | undefined;
  baselines: Record<string, Summary | undefined>;
  /** ours / baseline, of the medians. */
  ratios: Record<string, number | undefined>;
  target?: { text: string; met: boolean | undefined };
  note?: string;
}

/** A table whose cells the figure formats itself (figure 4 is not ours-versus-baseline). */
export interface Table {
  headers: string[];
  rows: string[][];
}

export interface Figure {
  id: FigureId;
  title: string;
  /** What "ours" is in this figure, e.g. `local AWS`. */
  ours: string;
  baselineNames: string[];
  rows: Row[];
  /** Replaces the generated table when set. */
  table?: Table;
  /** Figure-specific data for the JSON (e.g. each proxied upload's status). */
  details?: unknown;
  notes: string[];
  /** Set when the figure could not be measured. */
  error?: string;
  /** How long measuring it took (setup included). */
  durationMs?: number;
}

export const FIGURE_IDS = ['check', 'uploads', 'tickets', 'proxy', 'multipart'] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

export interface BenchReport {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  quick: boolean;
  durationMs: number;
  figures: Figure[];
}

/** ours / baseline for every baseline of a row. */
export function withRatios(row: Omit<Row, 'ratios'>): Row {
  const ratios: Record<string, number | undefined> = {};
  for (const [name, base] of Object.entries(row.baselines))
    ratios[name] = row.ours && base && base.median !== 0 ? row.ours.median / base.median : undefined;
  return { ...row, ratios };
}

/** Whether `value` meets `limit` in the row's direction (undefined when not measured). */
export function meets(value: number | undefined, better: Better, limit: number): boolean | undefined {
  if (value === undefined) return undefined;
  return better === 'higher' ? value >= limit : value <= limit;
}
