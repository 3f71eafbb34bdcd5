import type { QueryParams } from '../../protocols/query.ts';
import type { ManagedPolicyRecord, PolicyVersionRecord } from './managed-policies.ts';
import type { RoleRecord, Tag } from './role-store.ts';
import { validationError } from './validation.ts';

/** IAM returns policy documents URL-encoded in Query responses (the CLI decodes them, SDK v3 does not). */
export const encodePolicy = (text: string): string => encodeURIComponent(text);

/** A Query list: `<Name><member>…</member></Name>`. */
export const members = <T>(items: T[]): { member: T[] } | '' => (items.length ? { member: items } : '');

/**
 * The Role structure. CreateRole leaves out MaxSessionDuration and RoleLastUsed, ListRoles leaves
 * out Tags and RoleLastUsed, GetRole has them all (recorded from IAM, LocalStack snapshots).
 */
export function roleShape(role: RoleRecord, view: 'create' | 'get' | 'list'): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodePolicy(role.assumeRolePolicyDocument),
    ...(role.description === undefined ? {} : { Description: role.description }),
    ...(view === 'create' ? {} : { MaxSessionDuration: role.maxSessionDuration }),
    ...(view !== 'list' && role.tags.length ? { Tags: members(role.tags) } : {}),
    ...(view === 'get' ? { RoleLastUsed: '' } : {}),
  };
}

export function policyShape(
  policy: ManagedPolicyRecord,
  attachments: number,
  withTags: boolean,
): Record<string, unknown> {
  return {
    PolicyName: policy.name,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(policy.description === undefined ? {} : { Description: policy.description }),
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
    ...(withTags ? { Tags: members(policy.tags) } : {}),
  };
}

export function versionShape(
  policy: ManagedPolicyRecord,
  version: PolicyVersionRecord,
  withDocument: boolean,
): Record<string, unknown> {
  return {
    ...(withDocument ? { Document: encodePolicy(version.document) } : {}),
    VersionId: version.versionId,
    IsDefaultVersion: version.versionId === policy.defaultVersionId,
    CreateDate: version.createDate,
  };
}

/** Reads `Tags.member.N.Key` / `.Value`. */
export function readTags(params: QueryParams): Tag[] {
  const tags: Tag[] = [];
  for (let i = 1; params.has(`Tags.member.${i}.Key`); i++)
    tags.push({
      Key: params.get(`Tags.member.${i}.Key`)!,
      Value: params.get(`Tags.member.${i}.Value`) ?? '',
    });
  return tags;
}

/**
 * One page of a list: `MaxItems` (1..1000, default 100) items after `Marker`, which is the
 * opaque position the previous page returned.
 */
export function paginate<T>(
  items: T[],
  params: QueryParams,
): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const maxText = params.get('MaxItems');
  const max = maxText === undefined ? 100 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 1000)
    throw validationError(
      `1 validation error detected: Value '${maxText}' at 'maxItems' failed to satisfy constraint: Member must have value ${max < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`,
    );
  const marker = params.get('Marker');
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw validationError('Invalid Marker.');
  const page = items.slice(start, start + max);
  const next = start + max;
  return next < items.length
    ? { page, IsTruncated: true, Marker: Buffer.from(String(next)).toString('base64url') }
    : { page, IsTruncated: false };
}
