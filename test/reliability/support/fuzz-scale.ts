/**
 * How much longer the fuzz and tamper suites run: `RELIABILITY_SCALE` (default 1) multiplies
 * every generated-case count, so `npm run soak` can run the same suites for longer.
 */
export const RELIABILITY_SCALE = (() => {
  const raw = Number(process.env['RELIABILITY_SCALE'] ?? '1');
  return Number.isFinite(raw) && raw > 0 ? raw : 1;
})();

/** `n` generated cases at the current scale (at least one). */
export const scaled = (n: number): number => Math.max(1, Math.round(n * RELIABILITY_SCALE));

/** A fresh seed each run (fast-check's habit) unless `FUZZ_SEED` fixes one; printed in every summary to replay a failure. */
export const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);

/** One plain summary line per suite, e.g. `[fuzz-wire-s3] cases 800 · faults 800 · … · objects lost 0`. */
export function printFigures(
  suite: string,
  figures: Record<string, number | string>,
  generated = true,
): void {
  const text = Object.entries(figures)
    .map(([name, value]) => `${name} ${value}`)
    .join(' · ');
  console.log(`[${suite}] ${text} · scale ${RELIABILITY_SCALE}${generated ? ` · seed ${FUZZ_SEED}` : ''}`);
}
