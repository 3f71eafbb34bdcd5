import type { LabOutputs } from '../lib/outputs.ts';
import type { RowResult, RunSummary } from '../types.ts';

/** The machine-readable result of a run (`--json`): one object per row, in lab order. */
export interface JsonReport {
  version: 1;
  target: LabOutputs;
  summary: RunSummary;
  rows: {
    id: string;
    title: string;
    step: string;
    status: RowResult['status'];
    detail: string;
    hint: { id: string; text: string } | null;
    evidence: Record<string, unknown>;
    timings: { startMs: number; durationMs: number };
    /** How many times the row was checked (more than 1 when a failure looked like AWS still applying a change), and what each earlier try saw. */
    tries: { count: number; earlier: { atMs: number; detail: string; hintId?: string }[] };
  }[];
}

export function toJson(report: {
  results: readonly RowResult[];
  summary: RunSummary;
  target: LabOutputs;
}): JsonReport {
  return {
    version: 1,
    target: report.target,
    summary: report.summary,
    rows: report.results.map((r) => ({
      id: r.id,
      title: r.title,
      step: r.step,
      status: r.status,
      detail: r.detail,
      hint: r.hintId ? { id: r.hintId, text: r.hint ?? '' } : null,
      evidence: r.evidence,
      timings: { startMs: r.startMs, durationMs: r.durationMs },
      tries: r.tries ?? { count: 1, earlier: [] },
    })),
  };
}
