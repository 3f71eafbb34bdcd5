/**
 * Errors a person reads: a stable code, what went wrong, and how to fix it. The CLI prints
 * `CODE: message` and exits with `exitCode` (2 = usage or setup, 1 = the run failed).
 */
export type LabErrorCode =
  | 'LAB_USAGE'
  | 'LAB_NO_CREDENTIALS'
  | 'LAB_BAD_REGION'
  | 'LAB_ENDPOINT_UNREACHABLE'
  | 'LAB_NAME_TAKEN'
  | 'LAB_MISSING_PERMISSION'
  | 'LAB_NOT_DEPLOYED'
  | 'LAB_UNKNOWN_CHECK'
  | 'LAB_BUNDLE_FAILED'
  | 'LAB_PORT_IN_USE'
  | 'LAB_BENCH_SERVER'
  | 'LAB_BENCH_SETUP'
  | 'LAB_BENCH_FAILED'
  | 'LAB_AWS_ERROR';

const SETUP_CODES: ReadonlySet<LabErrorCode> = new Set([
  'LAB_USAGE',
  'LAB_NO_CREDENTIALS',
  'LAB_BAD_REGION',
  'LAB_ENDPOINT_UNREACHABLE',
  'LAB_NOT_DEPLOYED',
  'LAB_UNKNOWN_CHECK',
  'LAB_PORT_IN_USE',
]);

export class LabError extends Error {
  readonly code: LabErrorCode;
  /** The IAM action that was refused, for `LAB_MISSING_PERMISSION`. */
  readonly action: string | undefined;

  constructor(code: LabErrorCode, message: string, options: { cause?: unknown; action?: string } = {}) {
    super(`${code}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LabError';
    this.code = code;
    this.action = options.action;
  }

  get exitCode(): 1 | 2 {
    return SETUP_CODES.has(this.code) ? 2 : 1;
  }
}

export const usageError = (message: string): LabError =>
  new LabError('LAB_USAGE', `${message} Run with --help for the options.`);
