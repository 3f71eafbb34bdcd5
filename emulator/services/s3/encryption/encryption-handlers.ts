import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { parseXml } from '../../../protocols/xml.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { EncryptionRule } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';
import { xmlBool, xmlRoot, xmlStructs, xmlText } from '../xml-values.ts';
import { DEFAULT_RULE } from './sse.ts';

const ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/**
 * `<ServerSideEncryptionConfiguration><Rule>…</Rule></ServerSideEncryptionConfiguration>`:
 * exactly one rule with an algorithm S3 knows, else MalformedXML [REC
 * test_s3_default_bucket_encryption_exc]; a KMS key id only with a KMS algorithm.
 */
export function parseEncryption(body: Buffer): EncryptionRule {
  const rules = xmlStructs(xmlRoot(parseXml(body), 'ServerSideEncryptionConfiguration')['Rule']);
  if (rules.length !== 1) throw s3Errors.malformedXml();
  const rule = rules[0]!;
  const byDefault = xmlStructs(rule['ApplyServerSideEncryptionByDefault']);
  if (byDefault.length !== 1) throw s3Errors.malformedXml();
  const algorithm = xmlText(byDefault[0]!['SSEAlgorithm']);
  const keyId = xmlText(byDefault[0]!['KMSMasterKeyID']);
  if (algorithm === undefined || !ALGORITHMS.has(algorithm)) throw s3Errors.malformedXml();
  if (keyId !== undefined && algorithm === 'AES256')
    throw new AwsError(
      'InvalidArgument',
      'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
      { status: 400, fields: { ArgumentName: 'ApplyServerSideEncryptionByDefault' } },
    );
  return {
    SSEAlgorithm: algorithm,
    ...(keyId !== undefined ? { KMSMasterKeyID: keyId } : {}),
    BucketKeyEnabled: xmlBool(rule['BucketKeyEnabled']),
  };
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html — KMS key ids
 * are not checked at put time [SDK doc].
 */
export async function putBucketEncryption(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const rule = parseEncryption(await readCheckedBody(ctx, true));
  await s3.buckets.update(bucket, (record) => {
    record.encryption = rule;
  });
  ctx.send(200, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html — SSE-S3 unless configured. */
export async function getBucketEncryption(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const rule = s3.buckets.get(bucket)?.encryption ?? DEFAULT_RULE;
  sendXml(ctx, 200, 'ServerSideEncryptionConfiguration', {
    Rule: {
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: rule.SSEAlgorithm,
        ...(rule.KMSMasterKeyID !== undefined ? { KMSMasterKeyID: rule.KMSMasterKeyID } : {}),
      },
      BucketKeyEnabled: rule.BucketKeyEnabled,
    },
  });
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketEncryption.html — 204, also
 * when nothing was configured; the bucket goes back to SSE-S3.
 */
export async function deleteBucketEncryption(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
): Promise<void> {
  await s3.buckets.update(bucket, (record) => {
    delete record.encryption;
  });
  ctx.send(204, s3Headers(ctx));
}
