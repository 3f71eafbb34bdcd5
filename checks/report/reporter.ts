import type { RunEvent } from '../types.ts';

export interface Reporter {
  onEvent(event: RunEvent): void;
  /** Stops timers; called once, also when the run ends in a setup error. */
  close(): void;
}
