import type { Fault, WireCase } from './wire-fuzz.ts';
import { runBatch, type BatchResult } from './wire-fuzz.ts';
import type { GuardReport, StoreGuard } from './store-guard.ts';

/** What a wire-fuzz suite did, for its assertions and its summary line. */
export interface WireTally {
  cases: number;
  batches: number;
  faults: Map<Fault, number>;
  /** Answers by status class: `2xx`, `4xx`, `5xx`, `abandoned` (truncated on purpose, no answer). */
  classes: Map<string, number>;
  codes: Map<string, number>;
  problems: BatchResult['problems'];
  /** Guard reports that were not clean, with the batch they followed. */
  damage: Array<{ batch: number; report: GuardReport }>;
  canaries: number;
}

export const newTally = (canaries: number): WireTally => ({
  cases: 0,
  batches: 0,
  faults: new Map(),
  classes: new Map(),
  codes: new Map(),
  problems: [],
  damage: [],
  canaries,
});

const bump = <K>(map: Map<K, number>, key: K, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

/**
 * Sends `cases` in batches of `size`; after each batch the guard checks health, canary bytes,
 * the canary listing and stray files, and any damage is recorded with its batch number.
 */
export async function fuzzInBatches(
  port: number,
  guard: StoreGuard,
  cases: readonly WireCase[],
  tally: WireTally,
  size = 100,
): Promise<void> {
  for (let at = 0; at < cases.length; at += size) {
    const batch = cases.slice(at, at + size);
    const result = await runBatch(port, batch);
    tally.batches++;
    tally.cases += batch.length;
    for (const c of batch) bump(tally.faults, c.fault);
    for (const [tag, n] of result.byCode) {
      const status = Number(tag.split(' ')[0]);
      // A 5xx is named in full (only AWS's own, like 501 NotImplemented, pass the judge).
      const cls = status === 0 ? tag.split(' ')[1]! : status >= 500 ? tag : `${Math.floor(status / 100)}xx`;
      bump(tally.classes, cls, n);
      if (status >= 400) bump(tally.codes, tag.slice(4), n);
    }
    tally.problems.push(...result.problems);
    const report = await guard.settle();
    if (!report.healthy || report.lost.length || report.listingChanged || report.strayFiles.length)
      tally.damage.push({ batch: tally.batches, report });
  }
}

/** Counts one hand-made case (not from a batch) in the tally. */
export function countCase(tally: WireTally, fault: Fault, status: number): void {
  tally.cases++;
  bump(tally.faults, fault);
  bump(tally.classes, `${Math.floor(status / 100)}xx`);
}

/** How many answers carried any of `codes`. */
export const countOf = (tally: WireTally, codes: string[]): number =>
  codes.reduce((n, code) => n + (tally.codes.get(code) ?? 0), 0);

/** The summary figures of a suite. */
export function figuresOf(tally: WireTally): Record<string, number | string> {
  const list = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}:${n}`)
      .join(',');
  return {
    cases: tally.cases,
    'faults injected': `${tally.cases} (${list(tally.faults as Map<string, number>)})`,
    answers: list(tally.classes),
    'distinct error codes': tally.codes.size,
    'top codes': list(new Map([...tally.codes].sort((a, b) => b[1] - a[1]).slice(0, 8))),
    batches: tally.batches,
    'bad answers': tally.problems.length,
    'objects lost': tally.damage.reduce((n, d) => n + d.report.lost.length, 0),
    'stray files': tally.damage.reduce((n, d) => n + d.report.strayFiles.length, 0),
  };
}
