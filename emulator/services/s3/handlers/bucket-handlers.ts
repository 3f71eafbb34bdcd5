import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { parseXml } from '../../../protocols/xml.ts';
import { ALL_BLOCKED } from '../access/bucket-access.ts';
import { ownershipFromHeader } from '../access/ownership-handlers.ts';
import { aclForNewBucket, headerLookup } from '../access/write-acl.ts';
import { isValidBucketName } from '../model/bucket-name.ts';
import type { BucketRecord } from '../model/types.ts';
import { listBucketsPage } from '../list-buckets-page.ts';
import { listingTime } from '../listing-time.ts';
import { OWNER, type S3Model } from '../model/s3-model.ts';
import { s3Errors } from '../s3-errors.ts';
import { xmlRoot, xmlText } from '../xml-values.ts';

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html */
export async function listBuckets(ctx: RequestContext, s3: S3Model): Promise<void> {
  const page = listBucketsPage(ctx, s3.buckets.list());
  const buckets = page.buckets;
  sendXml(ctx, 200, 'ListAllMyBucketsResult', {
    Owner: OWNER,
    ...(page.next !== undefined ? { ContinuationToken: page.next } : {}),
    ...(page.prefix !== undefined ? { Prefix: page.prefix } : {}),
    Buckets: buckets.length
      ? {
          Bucket: buckets.map((b) => ({
            Name: b.name,
            CreationDate: listingTime(b.createdAt),
            BucketRegion: b.region,
          })),
        }
      : '',
  });
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html — re-creating your own
 * bucket is a 200 in us-east-1 (legacy) and BucketAlreadyOwnedByYou elsewhere.
 */
export async function createBucket(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  if (!isValidBucketName(bucket)) throw s3Errors.invalidBucketName(bucket);
  const body = await ctx.body(64 * 1024);
  let constraint: string | undefined;
  if (body.length > 0 && body.toString().trim() !== '') {
    const root = xmlRoot(parseXml(body), 'CreateBucketConfiguration');
    constraint = xmlText(root['LocationConstraint']);
  }
  // us-east-1 is the endpoint's default and may not be named [MOTO, LS assert this code and
  // message]; the LocationConstraint element in the error is UNVERIFIED.
  if (constraint === 'us-east-1')
    throw new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', {
      status: 400,
      fields: { LocationConstraint: constraint },
    });
  const region = constraint || 'us-east-1';
  // The signing region stands for the regional endpoint the request was sent to.
  if (region !== ctx.region)
    throw new AwsError(
      'IllegalLocationConstraintException',
      `The ${constraint || 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      { status: 400 },
    );
  const existing = s3.buckets.get(bucket);
  if (existing) {
    if (existing.region !== 'us-east-1' || region !== 'us-east-1')
      throw s3Errors.bucketAlreadyOwnedByYou(bucket);
  } else {
    const record = newBucketRecord(ctx, bucket, region);
    await s3.objects.createBucket(bucket);
    await s3.buckets.create(record);
  }
  ctx.send(200, { ...s3Headers(ctx), Location: `/${bucket}` });
}

/**
 * A new bucket as AWS creates one since April 2023: Block Public Access all on, Object
 * Ownership from `x-amz-object-ownership` (default BucketOwnerEnforced), an ACL from the
 * request's `x-amz-acl` / grant headers where that ownership allows it.
 */
function newBucketRecord(ctx: RequestContext, bucket: string, region: string): BucketRecord {
  const record: BucketRecord = {
    name: bucket,
    region,
    createdAt: new Date().toISOString(),
    publicAccessBlock: { ...ALL_BLOCKED },
    ownership: ownershipFromHeader(ctx.header('x-amz-object-ownership')),
  };
  const acl = aclForNewBucket(record, headerLookup(ctx.headers));
  return acl ? { ...record, acl } : record;
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html */
export async function headBucket(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const record = s3.buckets.get(bucket)!;
  ctx.send(200, {
    ...s3Headers(ctx),
    'x-amz-bucket-region': record.region,
    'x-amz-access-point-alias': 'false',
  });
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html */
export async function deleteBucket(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  if (s3.objects.count(bucket) > 0) throw s3Errors.bucketNotEmpty(bucket);
  await s3.buckets.delete(bucket);
  await s3.objects.dropBucket(bucket);
  // Uploads in progress do not keep a bucket from being deleted: they go with it [COMMUNITY
  // ceph/ceph#15630 tried on AWS; riak_cs#475; scality/cloudserver#1591].
  await s3.uploads.dropBucket(bucket);
  ctx.send(204, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html — empty for us-east-1. */
export async function getBucketLocation(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const region = s3.buckets.get(bucket)!.region;
  sendXml(ctx, 200, 'LocationConstraint', { '#text': region === 'us-east-1' ? '' : region });
}
