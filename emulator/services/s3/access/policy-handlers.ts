import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { BucketRecord } from '../model/types.ts';
import { accessErrors } from './access-errors.ts';
import { bucketOwner, effectiveBlock } from './bucket-access.ts';
import { validateBucketPolicy } from './bucket-policy.ts';
import { isPublicPolicy } from './public-policy.ts';

/**
 * `x-amz-expected-bucket-owner`: not a 12-digit account → 400, another account → 403 [REC].
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
 */
export function checkExpectedOwner(ctx: RequestContext, record: BucketRecord): void {
  const expected = ctx.header('x-amz-expected-bucket-owner');
  if (expected === undefined) return;
  if (!/^\d{12}$/.test(expected))
    throw new AwsError(
      'InvalidBucketOwnerAWSAccountID',
      `The value of the expected bucket owner parameter must be an AWS Account ID... [${expected}]`,
      { status: 400 },
    );
  if (expected !== bucketOwner(record)) throw new AwsError('AccessDenied', 'Access Denied', { status: 403 });
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html — validated, then
 * refused when public while BlockPublicPolicy is on; stored as sent.
 */
export async function putBucketPolicy(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const record = s3.buckets.get(bucket)!;
  checkExpectedOwner(ctx, record);
  const text = (await readCheckedBody(ctx, true)).toString('utf8');
  validateBucketPolicy(text, bucket, ctx.env.iam);
  if (effectiveBlock(record).BlockPublicPolicy && isPublicPolicy(text)) {
    const caller = ctx.principal.type === 'anonymous' ? 'anonymous' : ctx.principal.arn;
    throw accessErrors.publicPolicyBlocked(caller, bucket);
  }
  await s3.buckets.update(bucket, (r) => {
    r.policy = text;
  });
  ctx.send(204, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html — the policy as it was sent. */
export async function getBucketPolicy(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const record = s3.buckets.get(bucket)!;
  checkExpectedOwner(ctx, record);
  if (record.policy === undefined) throw accessErrors.noSuchBucketPolicy(bucket);
  ctx.send(200, { ...s3Headers(ctx), 'Content-Type': 'application/json' }, record.policy);
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html — 204 with or without one. */
export async function deleteBucketPolicy(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  checkExpectedOwner(ctx, s3.buckets.get(bucket)!);
  await s3.buckets.update(bucket, (r) => {
    delete r.policy;
  });
  ctx.send(204, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicyStatus.html */
export async function getBucketPolicyStatus(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const record = s3.buckets.get(bucket)!;
  checkExpectedOwner(ctx, record);
  if (record.policy === undefined) throw accessErrors.noSuchBucketPolicy(bucket);
  sendXml(ctx, 200, 'PolicyStatus', { IsPublic: isPublicPolicy(record.policy) });
}
