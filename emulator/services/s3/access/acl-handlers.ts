import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { Acl, BucketRecord } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';
import { accessErrors } from './access-errors.ts';
import { isPublicAcl } from './acl.ts';
import { aclDocument, parseAclBody } from './acl-xml.ts';
import { aclsEnabled, effectiveAcl, effectiveBlock } from './bucket-access.ts';
import { headerLookup, requestedAcl } from './write-acl.ts';

/**
 * The ACL of a Put*Acl request [REC test_s3_*_acl_exceptions]: ACLs disabled → 400
 * AccessControlListNotSupported, whatever the ACL; then exactly one of a canned ACL, grant
 * headers or an XML body; then BlockPublicAcls refuses a public one (403).
 */
async function aclFromRequest(
  ctx: RequestContext,
  record: BucketRecord,
  target: 'bucket' | 'object',
): Promise<Acl> {
  if (!aclsEnabled(record)) throw accessErrors.aclNotSupported();
  const body = await readCheckedBody(ctx);
  const fromHeaders = requestedAcl(headerLookup(ctx.headers), target);
  if (fromHeaders && body.length > 0) throw accessErrors.unexpectedContent();
  const acl = fromHeaders?.acl ?? (body.length > 0 ? parseAclBody(body) : undefined);
  if (!acl) throw accessErrors.missingAclHeader();
  if (effectiveBlock(record).BlockPublicAcls && isPublicAcl(acl)) throw accessErrors.publicAclBlocked();
  return acl;
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html */
export async function putBucketAcl(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const acl = await aclFromRequest(ctx, s3.buckets.get(bucket)!, 'bucket');
  await s3.buckets.update(bucket, (r) => {
    r.acl = acl;
  });
  ctx.send(200, s3Headers(ctx));
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html — the effective ACL:
 * the owner alone under BucketOwnerEnforced, no public grants under IgnorePublicAcls.
 */
export async function getBucketAcl(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const record = s3.buckets.get(bucket)!;
  sendXml(ctx, 200, 'AccessControlPolicy', aclDocument(effectiveAcl(record, record.acl)));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html */
export async function putObjectAcl(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const acl = await aclFromRequest(ctx, s3.buckets.get(bucket)!, 'object');
  if (!s3.objects.head(bucket, key)) throw s3Errors.noSuchKey(key);
  const updated = await s3.objects.setAcl(bucket, key, acl);
  if (!updated) throw s3Errors.noSuchKey(key);
  ctx.send(200, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html — the effective ACL, as for buckets. */
export async function getObjectAcl(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const meta = s3.objects.head(bucket, key);
  if (!meta) throw s3Errors.noSuchKey(key);
  sendXml(ctx, 200, 'AccessControlPolicy', aclDocument(effectiveAcl(s3.buckets.get(bucket)!, meta.acl)));
}
