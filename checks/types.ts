import type { CheckContext } from './context.ts';

/** A checklist row: the lab's success condition, and how to prove it. */
export interface Check {
  id: string;
  title: string;
  /** The lab step this row verifies, as the checklist names it. */
  step: string;
  /** Rows whose success this row relies on; when one does not pass, this row is skipped. */
  needs: string[];
  /** Whether the row drives Chromium (skipped with a reason when none is installed). */
  browser?: boolean;
  /** Returns the evidence gathered; throws `CheckFailure` to fail. Any other exception is an error. */
  run(ctx: CheckContext): Promise<Evidence>;
}

export type Evidence = Record<string, unknown>;

export type RowStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface RowResult {
  id: string;
  title: string;
  step: string;
  status: RowStatus;
  /** One sentence: what was seen. */
  detail: string;
  hintId?: string;
  /** What to change, in the student's terms. */
  hint?: string;
  evidence: Evidence;
  /** Milliseconds since the run started when the row started, and how long it ran. */
  startMs: number;
  durationMs: number;
  /**
   * Present when the row was checked more than once because its failure may have been AWS still
   * applying a change: how many times it ran, and what each earlier try saw.
   */
  tries?: { count: number; earlier: { atMs: number; detail: string; hintId?: string }[] };
}

export interface RunSummary {
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
}

export type RunEvent =
  | { type: 'run-start'; rows: { id: string; title: string; step: string }[]; target: unknown }
  | { type: 'row-start'; id: string }
  /** A retryable failure: the row runs again after `delayMs` (`waitedMs` of at most `limitMs` so far). */
  | {
      type: 'row-retry';
      id: string;
      attempt: number;
      delayMs: number;
      waitedMs: number;
      limitMs: number;
      detail: string;
    }
  | { type: 'row-end'; result: RowResult }
  | { type: 'run-end'; results: RowResult[]; summary: RunSummary };
