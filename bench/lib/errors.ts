import { LabError } from '../../scripts/lib/errors.ts';

/** The bench's own failure codes; `runCli` prints them like every other `LAB_*` error (exit 1). */
export type BenchErrorCode = 'LAB_BENCH_SERVER' | 'LAB_BENCH_SETUP' | 'LAB_BENCH_FAILED';

export const benchError = (code: BenchErrorCode, message: string, cause?: unknown): LabError =>
  new LabError(code, message, cause === undefined ? {} : { cause });
