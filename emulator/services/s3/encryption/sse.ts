import { createHash } from 'node:crypto';
import { ACCOUNT_ID } from '../../../auth/principal.ts';
import type { BucketRecord, EncryptionRule, ObjectMeta, ObjectSse } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';

/** What a bucket without a configuration uses: SSE-S3 since 2023-01-05 [DOC UsingServerSideEncryption]. */
export const DEFAULT_RULE: EncryptionRule = { SSEAlgorithm: 'AES256', BucketKeyEnabled: false };

const REQUEST_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/**
 * The encryption a new object gets: what the request asks for (`x-amz-server-side-encryption`,
 * `-aws-kms-key-id`, `-bucket-key-enabled`, as headers or POST form fields), else its bucket's
 * default. Absent means SSE-S3 (AES256), which is also what every record written before this
 * existed holds. The two refusals' messages are UNVERIFIED (quoted by S3-compatible suites).
 */
export function objectSse(
  bucket: BucketRecord | undefined,
  request: (name: string) => string | undefined = () => undefined,
): { sse?: ObjectSse } {
  const asked = request('x-amz-server-side-encryption');
  const askedKey = request('x-amz-server-side-encryption-aws-kms-key-id');
  if (asked !== undefined && !REQUEST_ALGORITHMS.has(asked))
    throw s3Errors.invalidArgument(
      'The encryption method specified is not supported',
      'x-amz-server-side-encryption',
      asked,
    );
  if (askedKey !== undefined && !asked?.startsWith('aws:kms'))
    throw s3Errors.invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      'x-amz-server-side-encryption',
      asked ?? 'null',
    );
  if (asked === 'AES256') return {};
  if (asked !== undefined) {
    const bucketKey = request('x-amz-server-side-encryption-bucket-key-enabled')?.toLowerCase() === 'true';
    return {
      sse: {
        algorithm: asked,
        kmsKeyId: kmsKeyArn(askedKey, bucket?.region ?? 'us-east-1'),
        ...(bucketKey ? { bucketKeyEnabled: true } : {}),
      },
    };
  }
  const rule = bucket?.encryption;
  if (!rule || rule.SSEAlgorithm === 'AES256') return {};
  return {
    sse: {
      algorithm: rule.SSEAlgorithm,
      kmsKeyId: kmsKeyArn(rule.KMSMasterKeyID, bucket!.region),
      ...(rule.BucketKeyEnabled ? { bucketKeyEnabled: true } : {}),
    },
  };
}

/**
 * The key ARN S3 reports for a KMS-encrypted object: the configured key as an ARN, or the
 * account's AWS managed key `aws/s3` when none is named. The managed key's id is made up per
 * account and region (UNVERIFIED: AWS creates a random one on first use).
 */
function kmsKeyArn(keyId: string | undefined, region: string): string {
  if (keyId?.startsWith('arn:')) return keyId;
  const prefix = `arn:aws:kms:${region}:${ACCOUNT_ID}:`;
  if (keyId?.startsWith('alias/')) return prefix + keyId;
  if (keyId) return `${prefix}key/${keyId}`;
  const hex = createHash('sha256').update(`aws/s3 ${ACCOUNT_ID} ${region}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `${prefix}key/${uuid}`;
}

/**
 * Only a write chooses the encryption: GET/HEAD with `x-amz-server-side-encryption` is 400
 * [COMMUNITY s3tools/s3cmd#276 quotes the message; ceph/s3-tests expect 400].
 */
export function refuseSseOnRead(value: string | undefined): void {
  if (value !== undefined)
    throw s3Errors.invalidArgument(
      'x-amz-server-side-encryption header is not supported for this operation.',
      'x-amz-server-side-encryption',
      value,
    );
}

/** The `x-amz-server-side-encryption*` headers of an object's responses [REC test_s3_sse_bucket_key_default]. */
export function sseHeaders(meta: Pick<ObjectMeta, 'sse'>): Record<string, string> {
  const sse = meta.sse;
  if (!sse) return { 'x-amz-server-side-encryption': 'AES256' };
  return {
    'x-amz-server-side-encryption': sse.algorithm,
    ...(sse.kmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': sse.kmsKeyId } : {}),
    ...(sse.bucketKeyEnabled ? { 'x-amz-server-side-encryption-bucket-key-enabled': 'true' } : {}),
  };
}
