import type { Acl, BucketRecord } from '../model/types.ts';
import { accessErrors } from './access-errors.ts';
import {
  cannedAcl,
  grantsBeyondOwner,
  grantsFromHeaders,
  invalidCannedAcl,
  isCannedAcl,
  isPublicAcl,
} from './acl.ts';
import { aclsEnabled, effectiveBlock } from './bucket-access.ts';
import { OWNER } from '../model/s3-model.ts';

/** The ACL a request asks for: `x-amz-acl` (or POST's `acl` field) and `x-amz-grant-*` headers. */
export function requestedAcl(
  headers: Record<string, string | undefined>,
  target: 'bucket' | 'object',
): { acl: Acl; canned?: string } | undefined {
  const canned = headers['x-amz-acl'];
  const grants = grantsFromHeaders(headers);
  if (canned !== undefined && grants) throw accessErrors.bothCannedAndGrants();
  if (canned !== undefined) {
    if (!isCannedAcl(canned)) throw invalidCannedAcl(canned);
    return { acl: cannedAcl(canned, target), canned };
  }
  return grants ? { acl: { owner: OWNER.ID, grants } } : undefined;
}

/**
 * The ACL to store with a new object (PutObject, CopyObject, POST Object's `acl` field), or
 * none. Object Ownership is checked before Block Public Access, as AWS answers a default bucket
 * [§8.2 order]: under BucketOwnerEnforced only `bucket-owner-full-control` (or no ACL) passes —
 * UNVERIFIED: `private` from the owner's own account is refused too, the docs' plain reading —
 * then BlockPublicAcls refuses a public ACL with 403.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 */
export function aclForNewObject(
  record: BucketRecord,
  headers: Record<string, string | undefined>,
): Acl | undefined {
  const requested = requestedAcl(headers, 'object');
  if (!requested) return undefined;
  if (!aclsEnabled(record)) {
    if (requested.canned === 'bucket-owner-full-control') return undefined;
    throw accessErrors.aclNotSupported();
  }
  if (effectiveBlock(record).BlockPublicAcls && isPublicAcl(requested.acl))
    throw accessErrors.publicAclBlocked();
  return requested.canned === 'private' ? undefined : requested.acl;
}

/**
 * The ACL of a bucket being created: under BucketOwnerEnforced only one that gives the owner
 * alone full control (InvalidBucketAclWithObjectOwnership otherwise); a public one fails the
 * new bucket's Block Public Access (all on) with 403.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
 */
export function aclForNewBucket(
  record: BucketRecord,
  headers: Record<string, string | undefined>,
): Acl | undefined {
  const requested = requestedAcl(headers, 'bucket');
  if (!requested) return undefined;
  if (!aclsEnabled(record)) {
    if (grantsBeyondOwner(requested.acl)) throw accessErrors.aclWithOwnership();
    return undefined;
  }
  if (effectiveBlock(record).BlockPublicAcls && isPublicAcl(requested.acl))
    throw accessErrors.publicAclBlocked();
  return requested.canned === 'private' ? undefined : requested.acl;
}

/** Request headers as a lookup (`ctx.headers` values may be arrays). */
export function headerLookup(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return out;
}
