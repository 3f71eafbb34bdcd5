import type { HintId } from '../hints.ts';
import type { MutationEnv, Revert } from './mutate.ts';

/** One realistic student mistake, applied to a deployed solution, and what the checker must say about it. */
export interface Mutation {
  id: string;
  mistake: string;
  /** The rows that must fail, each with its hint id; every other row passes or is skipped because of them. */
  fails: Partial<Record<string, HintId>>;
  /** What the failing rows' detail and hint must show, beyond the hint id. */
  shows?: RegExp[];
  apply(env: MutationEnv): Promise<Revert>;
}
