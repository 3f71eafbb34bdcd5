import type { Evidence } from './types.ts';
import type { Hint } from './hints.ts';

/** Thrown by a row to fail: what was seen (`detail`), what to change (`hint`), and the evidence. */
export class CheckFailure extends Error {
  readonly hintId: string | undefined;
  readonly hint: string | undefined;
  readonly evidence: Evidence;

  constructor(detail: string, options: { hint?: Hint; evidence?: Evidence } = {}) {
    super(detail);
    this.name = 'CheckFailure';
    this.hintId = options.hint?.id;
    this.hint = options.hint?.text;
    this.evidence = options.evidence ?? {};
  }
}

/** Fails with the hint's own text as the detail's explanation. */
export function fail(detail: string, hint: Hint, evidence: Evidence = {}): never {
  throw new CheckFailure(detail, { hint, evidence });
}
