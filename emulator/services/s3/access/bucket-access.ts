import { ACCOUNT_ID, type Principal } from '../../../auth/principal.ts';
import type { Operation } from '../../../core/env.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { Acl, BucketRecord, Permission, PublicAccessBlock } from '../model/types.ts';
import { ALL_USERS, AUTHENTICATED_USERS, privateAcl, withoutPublicGrants } from './acl.ts';
import { isPublicPolicy } from './public-policy.ts';

/** What a new bucket gets: all four Block Public Access settings on [REC get-default-public-access-block]. */
export const ALL_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

const NONE_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};

/**
 * The settings in force. A record without the field has none: DeletePublicAccessBlock removed
 * them, or the bucket was written by a version of the local AWS that did not create buckets with
 * them — such a bucket keeps what it was created with, as AWS kept buckets from before April 2023
 * (the lab's deploy puts the settings explicitly). No account-level settings (s3control) here.
 */
export const effectiveBlock = (record: BucketRecord): PublicAccessBlock =>
  record.publicAccessBlock ?? NONE_BLOCKED;

/** ACLs count unless Object Ownership is BucketOwnerEnforced (no ownership controls = ObjectWriter). */
export const aclsEnabled = (record: BucketRecord): boolean => record.ownership !== 'BucketOwnerEnforced';

/**
 * The ACL that authorization honours and Get*Acl shows: the owner's FULL_CONTROL alone when
 * ACLs are disabled; without public grants under IgnorePublicAcls.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
export function effectiveAcl(record: BucketRecord, acl: Acl | undefined): Acl {
  if (!aclsEnabled(record) || !acl) return privateAcl();
  return effectiveBlock(record).IgnorePublicAcls ? withoutPublicGrants(acl) : acl;
}

/** The ACL permission an action needs, and on what (S3's mapping of ACL permissions to actions). */
const ACL_PERMISSION: Record<string, [Permission, 'bucket' | 'object']> = {
  's3:GetObject': ['READ', 'object'],
  's3:GetObjectVersion': ['READ', 'object'],
  's3:GetObjectAcl': ['READ_ACP', 'object'],
  's3:PutObjectAcl': ['WRITE_ACP', 'object'],
  's3:PutObject': ['WRITE', 'bucket'],
  's3:DeleteObject': ['WRITE', 'bucket'],
  's3:ListBucket': ['READ', 'bucket'],
  's3:ListBucketVersions': ['READ', 'bucket'],
  's3:ListBucketMultipartUploads': ['READ', 'bucket'],
  's3:GetBucketAcl': ['READ_ACP', 'bucket'],
  's3:PutBucketAcl': ['WRITE_ACP', 'bucket'],
};

/**
 * Whether the effective ACL's group grants (AllUsers: anyone; AuthenticatedUsers: any signed
 * caller) let `principal` do `action`. Grants to a canonical user (an account) are not counted:
 * they reach that account's root, which may do everything in its own account anyway, and its
 * IAM identities only through their own policies.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
 */
function aclGrants(acl: Acl, permission: Permission, principal: Principal): boolean {
  return acl.grants.some((g) => {
    if (g.permission !== permission && g.permission !== 'FULL_CONTROL') return false;
    if (g.grantee.type !== 'Group') return false;
    return (
      g.grantee.uri === ALL_USERS || (g.grantee.uri === AUTHENTICATED_USERS && principal.type !== 'anonymous')
    );
  });
}

/**
 * S3's own condition keys a request carries: `s3:prefix` (listings), `s3:x-amz-acl`,
 * `s3:x-amz-server-side-encryption`, `s3:x-amz-object-ownership` (CreateBucket). Names from the
 * Service Authorization Reference; `s3:prefix` is exercised by ceph/s3-tests, the rest UNVERIFIED.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
export function s3ConditionKeys(query: Map<string, string>, header: (name: string) => string | undefined) {
  const keys: Record<string, string> = {};
  const prefix = query.get('prefix');
  if (prefix !== undefined) keys['s3:prefix'] = prefix;
  for (const name of ['x-amz-acl', 'x-amz-server-side-encryption', 'x-amz-object-ownership']) {
    const value = header(name);
    if (value !== undefined) keys[`s3:${name}`] = value;
  }
  return keys;
}

/** The owner of every bucket: this local AWS's one account. */
export const bucketOwner = (_record: BucketRecord): string => ACCOUNT_ID;

const POLICY_ACTIONS = new Set(['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']);

/**
 * The authorization of an S3 request on `bucket` (and `key`): the caller's identity policies,
 * the bucket policy (its Allows for the owner's account only while RestrictPublicBuckets is on
 * and the policy is public) and the effective ACLs.
 */
export function s3Authorization(
  s3: S3Model,
  bucket: string,
  key: string | undefined,
  action: string,
  context: Record<string, string> = {},
): NonNullable<Operation['authorization']> {
  const resource = key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
  // The settings in force: with --consistency aws a policy, ownership or BPA change lags (§11.3).
  const record = s3.buckets.inForce(bucket);
  if (!record) return { action, resource, context };
  const policy = record.policy;
  const needs = ACL_PERMISSION[action];
  return {
    action,
    resource,
    context,
    resourceAccess: {
      ...(policy ? { policy } : {}),
      ownerAccount: bucketOwner(record),
      policyAllowsOwnerOnly:
        !!policy && effectiveBlock(record).RestrictPublicBuckets && isPublicPolicy(policy),
      rootAlwaysAllowed: POLICY_ACTIONS.has(action),
      granted: (principal) => {
        if (!needs) return false;
        const [permission, on] = needs;
        const acl = on === 'object' && key !== undefined ? s3.objects.head(bucket, key)?.acl : record.acl;
        if (on === 'object' && key === undefined) return false;
        return aclGrants(effectiveAcl(record, acl), permission, principal);
      },
    },
  };
}
