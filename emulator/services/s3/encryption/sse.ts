import { createHash } from 'node:crypto';
import { ACCOUNT_ID } from '../../../auth/principal.ts';
import type { BucketRecord, EncryptionRule, ObjectMeta, ObjectSse } from '../model/types.ts';

/** What a bucket without a configuration uses: SSE-S3 since 2023-01-05 [DOC UsingServerSideEncryption]. */
export const DEFAULT_RULE: EncryptionRule = { SSEAlgorithm: 'AES256', BucketKeyEnabled: false };

/**
 * The encryption a new object gets from its bucket's default. Absent means SSE-S3 (AES256), which
 * is also what every record written before this existed holds.
 */
export function objectSse(bucket: BucketRecord | undefined): { sse?: ObjectSse } {
  const rule = bucket?.encryption;
  if (!rule || rule.SSEAlgorithm === 'AES256') return {};
  return {
    sse: {
      algorithm: rule.SSEAlgorithm,
      kmsKeyId: kmsKeyArn(rule.KMSMasterKeyID, bucket.region),
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
