import { LabError } from './errors.ts';

/** The parts of an AWS SDK v3 error (or a Node network error) this code looks at. */
interface ErrorLike {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  /** Set by the clients' middleware (`clients.ts`): which call failed. */
  $command?: string;
  $service?: string;
}

const asErrorLike = (err: unknown): ErrorLike => (typeof err === 'object' && err !== null ? err : {});

export const errorName = (err: unknown): string => {
  const e = asErrorLike(err);
  return e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? e.name ?? 'Error');
};

export const httpStatus = (err: unknown): number | undefined => asErrorLike(err).$metadata?.httpStatusCode;

/** `NoSuchEntity` and `NoSuchEntityException` are one code: SDK versions name IAM errors either way. */
const baseName = (name: string): string => name.replace(/Exception$/, '');

/** True when the error is one of the named AWS error codes. */
export const isAwsError = (err: unknown, ...names: string[]): boolean =>
  names.map(baseName).includes(baseName(errorName(err)));

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'AuthorizationError']);
const REJECTED_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'InvalidToken',
  'ExpiredToken',
  'ExpiredTokenException',
]);

/** IAM actions whose name differs from the API operation's (the rest are `<service>:<Operation>`). */
const S3_ACTIONS: Record<string, string> = {
  HeadBucket: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  ListBuckets: 's3:ListAllMyBuckets',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GetBucketCors: 's3:GetBucketCORS',
  PutBucketCors: 's3:PutBucketCORS',
  DeleteBucketCors: 's3:PutBucketCORS',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  PutBucketNotificationConfiguration: 's3:PutBucketNotification',
  DeleteObjects: 's3:DeleteObject',
};

/** The IAM action a failed SDK call needed, from the client and command names. */
export function iamActionFor(service: string | undefined, command: string | undefined): string | undefined {
  if (!service || !command) return undefined;
  const op = command.replace(/Command$/, '');
  if (service.startsWith('S3')) return S3_ACTIONS[op] ?? `s3:${op}`;
  if (service.startsWith('Lambda')) return `lambda:${op}`;
  if (service.startsWith('IAM')) return `iam:${op}`;
  if (service.startsWith('STS')) return `sts:${op}`;
  if (service.startsWith('ApiGatewayV2')) {
    // API Gateway authorizes by HTTP verb on the resource path.
    if (/^(Get|List)/.test(op)) return 'apigateway:GET';
    if (op.startsWith('Update')) return 'apigateway:PATCH';
    if (op.startsWith('Delete') || op === 'UntagResource') return 'apigateway:DELETE';
    return 'apigateway:POST';
  }
  return undefined;
}

export interface ErrorContext {
  endpoint?: string | undefined;
  region?: string | undefined;
}

/**
 * Turns whatever an AWS call threw into a `LabError` with a code and a fix. Errors that are
 * already `LabError`s pass through; AWS errors nobody anticipated keep their AWS code.
 */
export function toLabError(err: unknown, where: ErrorContext = {}): LabError {
  if (err instanceof LabError) return err;
  const e = asErrorLike(err);
  const name = errorName(err);
  const message = e.message ?? String(err);
  const call = e.$command ? ` (${e.$command.replace(/Command$/, '')})` : '';

  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new LabError(
      'LAB_NO_CREDENTIALS',
      'no AWS credentials found. Run "aws configure" or set AWS_PROFILE, or use --local.',
      { cause: err },
    );
  }
  if (REJECTED_CREDENTIALS.has(name) || REJECTED_CREDENTIALS.has(baseName(name))) {
    return new LabError(
      'LAB_NO_CREDENTIALS',
      `AWS refused the credentials${call}: ${name}: ${message} Check "aws sts get-caller-identity", refresh them (aws sso login / aws configure), or use --local.`,
      { cause: err },
    );
  }
  if (DENIED.has(name) || DENIED.has(baseName(name))) {
    const action =
      /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1] ??
      iamActionFor(e.$service, e.$command);
    const what = action ?? `the call${call}`;
    return new LabError(
      'LAB_MISSING_PERMISSION',
      `your identity may not perform ${what}${action ? call : ''}. Grant ${what} (scripts/README.md lists every permission the deploy needs) or use an identity that has it.`,
      { cause: err, ...(action ? { action } : {}) },
    );
  }
  if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || (e.code === 'ENOTFOUND' && where.endpoint)) {
    return new LabError(
      'LAB_ENDPOINT_UNREACHABLE',
      `nothing answers at ${where.endpoint ?? 'the AWS endpoint'} (${e.code}). Start the local AWS with "npm run emulator", or check AWS_ENDPOINT_URL.`,
      { cause: err },
    );
  }
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    return new LabError(
      'LAB_BAD_REGION',
      `could not reach AWS in region "${where.region ?? '?'}" (${e.code}). Check the region name (e.g. us-east-1) and your network.`,
      { cause: err },
    );
  }
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || httpStatus(err) === 301) {
    return new LabError(
      'LAB_BAD_REGION',
      `the bucket lives in another region than ${where.region ?? 'the one given'}${call}. Pass the region you deployed to with --region.`,
      { cause: err },
    );
  }
  return new LabError('LAB_AWS_ERROR', `AWS answered ${name}${call}: ${message}`, { cause: err });
}
