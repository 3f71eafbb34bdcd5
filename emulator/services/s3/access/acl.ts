import { AwsError } from '../../../core/aws-error.ts';
import { OWNER } from '../model/s3-model.ts';
import type { Acl, Grant, Permission } from '../model/types.ts';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const GROUPS = new Set([ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY]);
const EC2_ID = '6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c';

export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
] as const;
export type CannedAcl = (typeof CANNED_ACLS)[number];

const user = (id: string, permission: Permission): Grant => ({
  grantee: { type: 'CanonicalUser', id },
  permission,
});
const group = (uri: string, permission: Permission): Grant => ({
  grantee: { type: 'Group', uri },
  permission,
});

/** The owner's FULL_CONTROL alone: what a resource without an ACL has. */
export const privateAcl = (owner = OWNER.ID): Acl => ({ owner, grants: [user(owner, 'FULL_CONTROL')] });

/**
 * The grants a canned ACL stands for. `bucket-owner-*` apply to objects only (a bucket gets the
 * owner's FULL_CONTROL); in one account the bucket owner is the object owner.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
 */
export function cannedAcl(name: CannedAcl, target: 'bucket' | 'object', owner = OWNER.ID): Acl {
  const full = user(owner, 'FULL_CONTROL');
  const grants: Record<CannedAcl, Grant[]> = {
    private: [full],
    'public-read': [full, group(ALL_USERS, 'READ')],
    'public-read-write': [full, group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')],
    'authenticated-read': [full, group(AUTHENTICATED_USERS, 'READ')],
    'aws-exec-read': [full, user(EC2_ID, 'READ')],
    'bucket-owner-read': target === 'object' ? [full, user(OWNER.ID, 'READ')] : [full],
    'bucket-owner-full-control': target === 'object' ? [full, user(OWNER.ID, 'FULL_CONTROL')] : [full],
    'log-delivery-write':
      target === 'bucket' ? [full, group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')] : [full],
  };
  return { owner, grants: grants[name] };
}

export function isCannedAcl(value: string): value is CannedAcl {
  return (CANNED_ACLS as readonly string[]).includes(value);
}

/** `x-amz-acl: fake-acl` [REC]: InvalidArgument with no Message element. */
export const invalidCannedAcl = (value: string) =>
  new AwsError('InvalidArgument', '', {
    status: 400,
    fields: { ArgumentName: 'x-amz-acl', ArgumentValue: value },
  });

const argument = (message: string, name: string, value: string) =>
  new AwsError('InvalidArgument', message, {
    status: 400,
    fields: { ArgumentName: name, ArgumentValue: value },
  });

/** A canonical user id this local AWS knows (its one account's). */
export const isKnownCanonicalId = (id: string): boolean => id === OWNER.ID || id === EC2_ID;

/** Checks one grantee; the errors are S3's for an ACL in headers or XML [REC test_s3_*_acl_exceptions]. */
export function checkGrantee(grantee: Grant['grantee'], names = { id: 'id', uri: 'uri' }): void {
  if (grantee.type === 'Group' && !GROUPS.has(grantee.uri))
    throw argument('Invalid group uri', names.uri, grantee.uri);
  if (grantee.type === 'CanonicalUser' && !isKnownCanonicalId(grantee.id))
    throw argument('Invalid id', names.id, grantee.id);
}

export const GRANT_HEADERS: Record<string, Permission> = {
  'x-amz-grant-full-control': 'FULL_CONTROL',
  'x-amz-grant-read': 'READ',
  'x-amz-grant-write': 'WRITE',
  'x-amz-grant-read-acp': 'READ_ACP',
  'x-amz-grant-write-acp': 'WRITE_ACP',
};

/**
 * The grants of `x-amz-grant-*` headers (`id="…", uri="…"`, comma-separated); they replace the
 * whole ACL (no owner grant is added) [REC get-bucket-grant-acl]. Email grantees are refused as
 * an unrecognised format (UNVERIFIED: AWS discontinued them; its answer outside the legacy regions).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html
 */
export function grantsFromHeaders(headers: Record<string, string | undefined>): Grant[] | undefined {
  const grants: Grant[] = [];
  let any = false;
  for (const [name, permission] of Object.entries(GRANT_HEADERS)) {
    const value = headers[name];
    if (value === undefined) continue;
    any = true;
    for (const part of value.split(',')) {
      const m = /^\s*(id|uri)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
      if (!m) throw argument('Argument format not recognized', name, part.trim());
      const grantee: Grant['grantee'] =
        m[1]!.toLowerCase() === 'id' ? { type: 'CanonicalUser', id: m[2]! } : { type: 'Group', uri: m[2]! };
      checkGrantee(grantee);
      grants.push({ grantee, permission });
    }
  }
  return any ? grants : undefined;
}

/** An ACL grants something to everyone or to every AWS account: AWS's "public" for ACLs. */
export function isPublicAcl(acl: Acl | undefined): boolean {
  return (acl?.grants ?? []).some((g) => g.grantee.type === 'Group' && g.grantee.uri !== LOG_DELIVERY);
}

/** The ACL without its public grants (IgnorePublicAcls). */
export function withoutPublicGrants(acl: Acl): Acl {
  return {
    owner: acl.owner,
    grants: acl.grants.filter((g) => !(g.grantee.type === 'Group' && g.grantee.uri !== LOG_DELIVERY)),
  };
}

/** An ACL that gives someone other than the owner anything (refused by BucketOwnerEnforced). */
export function grantsBeyondOwner(acl: Acl | undefined): boolean {
  return (acl?.grants ?? []).some((g) => g.grantee.type !== 'CanonicalUser' || g.grantee.id !== acl!.owner);
}
