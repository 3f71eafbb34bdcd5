import { createHmac } from 'node:crypto';
import type { CredentialStore, ResolvedKey } from '../../../auth/credentials.ts';
import { signingKey } from '../../../auth/signing-keys.ts';
import { constantTimeEqual } from '../../../auth/sigv4.ts';
import { commonErrors } from '../../../core/aws-error.ts';
import { s3Errors } from '../s3-errors.ts';

/** Signing fields, in the order S3 reports the first missing one [REC: algorithm before credential]. */
const V4_FIELDS: Array<[string, string]> = [
  ['x-amz-algorithm', 'X-Amz-Algorithm'],
  ['x-amz-credential', 'X-Amz-Credential'],
  ['x-amz-date', 'X-Amz-Date'],
  ['x-amz-signature', 'X-Amz-Signature'],
];
const V2_FIELDS: Array<[string, string]> = [
  ['signature', 'Signature'],
  ['awsaccesskeyid', 'AWSAccessKeyId'],
];

/** [REC test_post_request_missing_signature/_missing_fields] — two spaces after the first sentence. */
export const missingField = (name: string) =>
  s3Errors.invalidArgument(
    `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
    name,
    '',
  );

export type PostSignature =
  | { version: 'v4'; accessKeyId: string; date: string; region: string; signature: string }
  | { version: 'v2'; accessKeyId: string; signature: string }
  | { version: 'none' };

/**
 * Which signature the form carries. Once one signing field of a kind is present, all of that
 * kind must be (400 InvalidArgument naming the first missing one).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
 */
export function readPostSignature(fields: Map<string, string>): PostSignature {
  const present = (list: Array<[string, string]>) => list.some(([f]) => fields.has(f));
  const requireAll = (list: Array<[string, string]>) => {
    for (const [field, name] of list) if (!fields.get(field)) throw missingField(name);
  };
  if (present(V4_FIELDS)) {
    requireAll(V4_FIELDS);
    const algorithm = fields.get('x-amz-algorithm')!;
    // Wording of these two errors is UNVERIFIED.
    if (algorithm !== 'AWS4-HMAC-SHA256')
      throw s3Errors.invalidArgument(
        'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
        'X-Amz-Algorithm',
        algorithm,
      );
    const credential = fields.get('x-amz-credential')!;
    const m = /^([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request$/.exec(credential);
    if (!m)
      throw s3Errors.invalidArgument(
        'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
        'X-Amz-Credential',
        credential,
      );
    return {
      version: 'v4',
      accessKeyId: m[1]!,
      date: m[2]!,
      region: m[3]!,
      signature: fields.get('x-amz-signature')!,
    };
  }
  if (present(V2_FIELDS)) {
    requireAll(V2_FIELDS);
    return { version: 'v2', accessKeyId: fields.get('awsaccesskeyid')!, signature: fields.get('signature')! };
  }
  return { version: 'none' };
}

/** Space-separated hex bytes, as S3 shows `StringToSignBytes`. */
const hexBytes = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Checks the signature over the base64 policy exactly as sent [§2.2]: SigV4 = hex
 * HMAC-SHA256 with the derived `s3` signing key; SigV2 = base64 HMAC-SHA1 with the secret.
 * Unknown keys, bad or expired session tokens fail first, as the credential store decides.
 */
export async function verifyPostSignature(
  signature: Exclude<PostSignature, { version: 'none' }>,
  policy: string,
  sessionToken: string | undefined,
  credentials: CredentialStore,
): Promise<ResolvedKey> {
  const resolved = credentials.resolve(signature.accessKeyId, sessionToken);
  const expected = await expectedSignature(signature, resolved.secretAccessKey, policy);
  if (!constantTimeEqual(expected, signature.signature))
    throw commonErrors.signatureDoesNotMatch({
      AWSAccessKeyId: signature.accessKeyId,
      StringToSign: policy,
      SignatureProvided: signature.signature,
      StringToSignBytes: hexBytes(policy),
    });
  return resolved;
}

/** Signatures computed lately, by everything they depend on: a ticket is often used more than once. */
const computed = new Map<string, string>();
const MAX_COMPUTED = 256;

/**
 * The signature S3 computes for the policy. SigV4 signs it as `SignatureV4.signString` does:
 * HMAC-SHA256 with the derived key (cached per key, day and region), hex.
 */
async function expectedSignature(
  signature: Exclude<PostSignature, { version: 'none' }>,
  secret: string,
  policy: string,
): Promise<string> {
  const scope = signature.version === 'v4' ? `${signature.date}/${signature.region}` : 'v2';
  const id = `${signature.accessKeyId}\n${secret}\n${scope}\n${policy}`;
  let expected = computed.get(id);
  if (expected !== undefined) return expected;
  if (signature.version === 'v4') {
    const key = await signingKey(signature.accessKeyId, secret, signature.date, signature.region, 's3');
    expected = createHmac('sha256', key).update(policy, 'utf8').digest('hex');
  } else expected = createHmac('sha1', secret).update(policy).digest('base64');
  computed.set(id, expected);
  if (computed.size > MAX_COMPUTED) computed.delete(computed.keys().next().value!);
  return expected;
}
