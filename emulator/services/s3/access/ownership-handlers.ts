import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { parseXml } from '../../../protocols/xml.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { ObjectOwnership } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';
import { xmlRoot, xmlStructs, xmlText } from '../xml-values.ts';
import { accessErrors } from './access-errors.ts';
import { grantsBeyondOwner } from './acl.ts';

export const OWNERSHIPS: readonly ObjectOwnership[] = [
  'BucketOwnerEnforced',
  'BucketOwnerPreferred',
  'ObjectWriter',
];

/** What a new bucket gets without `x-amz-object-ownership` [REC default-ownership]. */
export const DEFAULT_OWNERSHIP: ObjectOwnership = 'BucketOwnerEnforced';

/** CreateBucket's `x-amz-object-ownership`, or the default; anything else → 400 InvalidArgument [REC]. */
export function ownershipFromHeader(value: string | undefined): ObjectOwnership {
  if (value === undefined) return DEFAULT_OWNERSHIP;
  if (!(OWNERSHIPS as readonly string[]).includes(value)) throw accessErrors.invalidOwnershipHeader(value);
  return value as ObjectOwnership;
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html — exactly
 * one rule with a known value (MalformedXML otherwise [REC]); BucketOwnerEnforced is refused
 * while the bucket ACL grants anyone but the owner.
 */
export async function putBucketOwnershipControls(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
): Promise<void> {
  const root = xmlRoot(parseXml(await readCheckedBody(ctx, true)), 'OwnershipControls');
  const rules = xmlStructs(root['Rule']);
  if (rules.length !== 1) throw s3Errors.malformedXml();
  const value = xmlText(rules[0]!['ObjectOwnership']);
  if (!value || !(OWNERSHIPS as readonly string[]).includes(value)) throw s3Errors.malformedXml();
  const ownership = value as ObjectOwnership;
  if (ownership === 'BucketOwnerEnforced' && grantsBeyondOwner(s3.buckets.get(bucket)!.acl))
    throw accessErrors.aclWithOwnership();
  await s3.buckets.update(bucket, (r) => {
    r.ownership = ownership;
  });
  ctx.send(200, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketOwnershipControls.html */
export async function getBucketOwnershipControls(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
): Promise<void> {
  const ownership = s3.buckets.get(bucket)!.ownership;
  if (!ownership) throw accessErrors.ownershipNotFound(bucket);
  sendXml(ctx, 200, 'OwnershipControls', { Rule: { ObjectOwnership: ownership } });
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketOwnershipControls.html — 204,
 * idempotent; the bucket then behaves as ObjectWriter.
 */
export async function deleteBucketOwnershipControls(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
): Promise<void> {
  await s3.buckets.update(bucket, (r) => {
    delete r.ownership;
  });
  ctx.send(204, s3Headers(ctx));
}
