import type { Evidence } from './types.ts';
import type { Hint } from './hints.ts';

/** Thrown by a row to fail: what was seen (`detail`), what to change (`hint`), and the evidence. */
export class CheckFailure extends Error {
  readonly hintId: string | undefined;
  readonly hint: string | undefined;
  readonly evidence: Evidence;
  /**
   * The failing evidence is the kind AWS may still be propagating (an IAM decision, a function
   * Pending or mid-update, a configuration that is right but not yet served): the runner checks
   * the row again, with backoff, before it reports the failure. Evidence that cannot change by
   * waiting (a setting that is wrong) is not retryable and fails at once.
   */
  readonly retryable: boolean;

  constructor(detail: string, options: { hint?: Hint; evidence?: Evidence; retryable?: boolean } = {}) {
    super(detail);
    this.name = 'CheckFailure';
    this.hintId = options.hint?.id;
    this.hint = options.hint?.text;
    this.evidence = options.evidence ?? {};
    this.retryable = options.retryable ?? false;
  }
}

/** Fails with the hint's own text as the detail's explanation. */
export function fail(detail: string, hint: Hint, evidence: Evidence = {}): never {
  throw new CheckFailure(detail, { hint, evidence });
}

/** Fails in a way that may be AWS still applying a recent change: the runner checks again first. */
export function failMaybePropagating(detail: string, hint: Hint, evidence: Evidence = {}): never {
  throw new CheckFailure(detail, { hint, evidence, retryable: true });
}
