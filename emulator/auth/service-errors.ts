import { AwsError } from '../core/aws-error.ts';

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';
const BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The protocol family of a SigV4 signing name: S3 has its own words, Query and JSON services share others. */
const FAMILY: Record<string, 'query' | 'json'> = {
  iam: 'query',
  sts: 'query',
  lambda: 'json',
  apigateway: 'json',
  logs: 'json',
};

/**
 * Authentication failures in the words of the service that was called. The verifier speaks
 * S3's dialect (InvalidAccessKeyId, RequestTimeTooSkewed, …); IAM and STS answer
 * InvalidClientTokenId / SignatureDoesNotMatch "Signature expired" / ExpiredToken, and the JSON
 * services UnrecognizedClientException / InvalidSignatureException / ExpiredTokenException,
 * all 403, as AWS does.
 * https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
 */
export function inServiceTerms(signingName: string, err: AwsError): AwsError {
  const family = FAMILY[signingName];
  if (!family) return err;
  const json = family === 'json';
  const denied = (code: string, message: string) => new AwsError(code, message, { status: 403 });
  switch (err.code) {
    case 'InvalidAccessKeyId':
    case 'InvalidToken':
      return denied(json ? 'UnrecognizedClientException' : 'InvalidClientTokenId', INVALID_TOKEN);
    case 'ExpiredToken':
      return denied(json ? 'ExpiredTokenException' : 'ExpiredToken', EXPIRED_TOKEN);
    case 'SignatureDoesNotMatch':
      return denied(json ? 'InvalidSignatureException' : 'SignatureDoesNotMatch', BAD_SIGNATURE);
    case 'RequestTimeTooSkewed': {
      const signed = String(err.fields['RequestTime'] ?? '');
      const now = String(err.fields['ServerTime'] ?? '').replace(/[-:]/g, '');
      const message = skewMessage(signed, now);
      return denied(json ? 'InvalidSignatureException' : 'SignatureDoesNotMatch', message);
    }
    default:
      return err;
  }
}

/** `Signature expired: <signed> is now earlier than <now-15m> (<now> - 15 min.)`, or the future-dated twin. */
function skewMessage(signed: string, now: string): string {
  const toMs = (s: string) =>
    Date.UTC(
      +s.slice(0, 4),
      +s.slice(4, 6) - 1,
      +s.slice(6, 8),
      +s.slice(9, 11),
      +s.slice(11, 13),
      +s.slice(13, 15),
    );
  const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const nowMs = toMs(now);
  if (toMs(signed) > nowMs)
    return `Signature not yet current: ${signed} is still later than ${fmt(nowMs + 900_000)} (${now} + 15 min.)`;
  return `Signature expired: ${signed} is now earlier than ${fmt(nowMs - 900_000)} (${now} - 15 min.)`;
}
