import type { Plan } from './plan.ts';
import type { SolutionStack } from './stack.ts';

/** What every figure is given. */
export interface BenchContext {
  plan: Plan;
  /** Scratch space under `.lab/bench/`, removed after the run. */
  dir: string;
  /** Progress, to stderr. */
  log(message: string): void;
  env: NodeJS.ProcessEnv;
  /** The local AWS with the lab's solution deployed, started on first use and shared. */
  stack(): Promise<SolutionStack>;
}
