import type { AwsClients } from './lib/aws.ts';
import type { BrowserSession } from './lib/browser.ts';
import type { LabOutputs } from './lib/outputs.ts';
import type { UploadRegistry } from './lib/uploads.ts';
import type { Evidence } from './types.ts';

/** What every row is given. One per run, shared by the rows running at the same time. */
export interface CheckContext {
  /** The stack under check (deploy outputs, or what discovery found). */
  readonly target: LabOutputs;
  readonly aws: AwsClients;
  /** The page under test, served and answering by the time a browser row runs. */
  frontendUrl(): Promise<string>;
  /** Unique per run; in the names of everything the checker uploads. */
  readonly runId: string;
  readonly uploads: UploadRegistry;
  readonly browser: BrowserSession;
  /** The evidence a row this row needs returned. */
  evidence(id: string): Evidence | undefined;
  /** Asks once per run: rows running together share one answer (a function's configuration, …). */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** The per-row timeout, so that a row that polls can stop in time to say why. */
  readonly timeoutMs: number;
}

export function createMemo(): CheckContext['memo'] {
  const cache = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = fn();
      cache.set(key, hit);
    }
    return hit;
  };
}
