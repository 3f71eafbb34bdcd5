/**
 * The one error type of the local AWS. Each protocol codec writes it in its own form: an S3
 * `<Error>` document, a Query `<ErrorResponse>`, or a REST-JSON body with `x-amzn-ErrorType`.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra elements written beside Code and Message (S3: `BucketName`, `Condition`, ...). */
  readonly fields: Record<string, string | number>;
  /** Extra response headers (e.g. `Allow`). */
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    message: string,
    options: {
      status?: number;
      fields?: Record<string, string | number>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = options.status ?? 400;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
  }
}

/** Errors shared by every service; each mirrors the AWS text verbatim. */
export const commonErrors = {
  internal: () =>
    new AwsError('InternalError', 'We encountered an internal error. Please try again.', { status: 500 }),
  invalidAccessKeyId: (akid: string) =>
    new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
      status: 403,
      fields: { AWSAccessKeyId: akid },
    }),
  signatureDoesNotMatch: (fields: Record<string, string> = {}) =>
    new AwsError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { status: 403, fields },
    ),
  expiredToken: () => new AwsError('ExpiredToken', 'The provided token has expired.', { status: 400 }),
  invalidToken: () =>
    new AwsError('InvalidToken', 'The provided token is malformed or otherwise invalid.', { status: 400 }),
  requestTimeTooSkewed: (requestTime: string, serverTime: string) =>
    new AwsError(
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      {
        status: 403,
        fields: { RequestTime: requestTime, ServerTime: serverTime, MaxAllowedSkewMilliseconds: 900000 },
      },
    ),
  accessDenied: (message = 'Access Denied') => new AwsError('AccessDenied', message, { status: 403 }),
};
