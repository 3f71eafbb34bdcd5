/**
 * A setup or usage problem a person reads (exit code 2): a stable code, what went wrong, and the fix,
 * e.g. `LAB_NO_CREDENTIALS: no AWS credentials found. Run "aws configure" or set AWS_PROFILE, or use --local.`
 */
export class LabError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'LabError';
  }
}
