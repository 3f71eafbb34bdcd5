import { GiB, MiB } from './payload.ts';

/** How much each figure measures: the full run, `--quick`, or the plumbing test's `tiny`. */
export interface Plan {
  quick: boolean;
  tiny: boolean;
  /** Unmeasured runs before the measured ones. */
  warmups: number;
  runs: number;
  /** Length of one measured window of a load test, ms. */
  windowMs: number;
  uploadSizes: number[];
  /** Fewer runs for the biggest upload (each takes seconds). */
  runsAt1GiB: number;
  firstUploadSamples: number;
  uploadClients: number[];
  ticketClients: number[];
  latencyRequests: number;
  checkRuns: number;
  /** Decimal megabytes, as the lesson says them. */
  proxySizes: number[];
}

const MB = 1_000_000;

export function planFor(options: { quick?: boolean; tiny?: boolean } = {}): Plan {
  if (options.tiny)
    return {
      quick: true,
      tiny: true,
      warmups: 1,
      runs: 2,
      windowMs: 200,
      uploadSizes: [MiB],
      runsAt1GiB: 1,
      firstUploadSamples: 1,
      uploadClients: [4],
      ticketClients: [1, 4],
      latencyRequests: 20,
      checkRuns: 1,
      proxySizes: [MB],
    };
  if (options.quick)
    return {
      quick: true,
      tiny: false,
      warmups: 1,
      runs: 3,
      windowMs: 400,
      uploadSizes: [MiB, 10 * MiB, 100 * MiB],
      runsAt1GiB: 1,
      firstUploadSamples: 2,
      uploadClients: [16, 64],
      ticketClients: [1, 16, 64],
      latencyRequests: 150,
      checkRuns: 2,
      proxySizes: [MB, 5 * MB, 10 * MB],
    };
  return {
    quick: false,
    tiny: false,
    warmups: 1,
    runs: 5,
    windowMs: 1000,
    uploadSizes: [MiB, 10 * MiB, 100 * MiB, GiB],
    runsAt1GiB: 3,
    firstUploadSamples: 3,
    uploadClients: [16, 64],
    ticketClients: [1, 16, 64],
    latencyRequests: 400,
    checkRuns: 5,
    proxySizes: [MB, 5 * MB, 10 * MB, 50 * MB],
  };
}

/** `1 MiB`, `100 MiB`, `1 GiB`, `5 MB`. */
export function sizeLabel(bytes: number): string {
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % MB === 0) return `${bytes / MB} MB`;
  return `${bytes} B`;
}
