import { AwsError } from '../../core/aws-error.ts';
import type { RequestContext } from '../../core/context.ts';
import type { EmulatorEnv } from '../../core/env.ts';
import { memberList, type QueryParams } from '../../protocols/query.ts';
import type { IamModel } from './iam-model.ts';
import { members, paginate, readTags, roleShape } from './shapes.ts';
import {
  checkPath,
  checkRoleName,
  checkTags,
  required,
  validateTrustPolicy,
  validationError,
} from './validation.ts';

export interface HandlerInput {
  model: IamModel;
  params: QueryParams;
  env: EmulatorEnv;
  /** The request, for operations that act on the caller (GetUser without UserName). */
  ctx: RequestContext;
}

function maxSessionDuration(params: QueryParams, fallback: number): number {
  const text = params.get('MaxSessionDuration');
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 3600 || value > 43200)
    throw validationError(
      `1 validation error detected: Value '${text}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${value < 3600 ? 'greater than or equal to 3600' : 'less than or equal to 43200'}`,
    );
  return value;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html */
export async function createRole({ model, params }: HandlerInput) {
  const name = required(params, 'RoleName');
  checkRoleName(name);
  const path = params.get('Path') ?? '/';
  checkPath(path);
  const trust = required(params, 'AssumeRolePolicyDocument');
  validateTrustPolicy(trust);
  const tags = readTags(params);
  checkTags(tags);
  const description = params.get('Description');
  const role = await model.roles.create({
    name,
    path,
    assumeRolePolicyDocument: trust,
    ...(description === undefined ? {} : { description }),
    maxSessionDuration: maxSessionDuration(params, 3600),
    tags,
  });
  return { Role: roleShape(role, 'create') };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html */
export async function getRole({ model, params }: HandlerInput) {
  return { Role: roleShape(model.roles.get(required(params, 'RoleName')), 'get') };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html */
export async function listRoles({ model, params }: HandlerInput) {
  const prefix = params.get('PathPrefix') ?? '/';
  const { page, ...more } = paginate(
    model.roles.list().filter((r) => r.path.startsWith(prefix)),
    params,
  );
  return { Roles: members(page.map((r) => roleShape(r, 'list'))), ...more };
}

/** Deleting a role also ends its sessions. https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html */
export async function deleteRole({ model, params, env }: HandlerInput) {
  const role = await model.roles.delete(required(params, 'RoleName'));
  await env.credentials.revokeRole(role.arn);
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRole.html */
export async function updateRole({ model, params }: HandlerInput) {
  const name = required(params, 'RoleName');
  const current = model.roles.get(name);
  const duration = maxSessionDuration(params, current.maxSessionDuration);
  const description = params.get('Description');
  await model.roles.update(name, (role) => {
    role.maxSessionDuration = duration;
    if (description !== undefined) role.description = description;
  });
  return {};
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html */
export async function updateAssumeRolePolicy({ model, params }: HandlerInput) {
  const name = required(params, 'RoleName');
  const document = required(params, 'PolicyDocument');
  model.roles.get(name);
  validateTrustPolicy(document);
  await model.roles.update(name, (role) => {
    role.assumeRolePolicyDocument = document;
  });
  return undefined;
}

/** Adds or overwrites tags (keys compared ignoring case). https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagRole.html */
export async function tagRole({ model, params }: HandlerInput) {
  const name = required(params, 'RoleName');
  model.roles.get(name);
  const tags = readTags(params);
  if (!tags.length) required(params, 'Tags');
  checkTags(tags);
  await model.roles.update(name, (role) => {
    for (const tag of tags) {
      const existing = role.tags.find((t) => t.Key.toLowerCase() === tag.Key.toLowerCase());
      if (existing) existing.Value = tag.Value;
      else role.tags.push(tag);
    }
    if (role.tags.length > 50)
      throw new AwsError('LimitExceeded', 'The number of tags has reached the maximum limit.', {
        status: 409,
      });
  });
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagRole.html */
export async function untagRole({ model, params }: HandlerInput) {
  const name = required(params, 'RoleName');
  model.roles.get(name);
  const keys = memberList(params, 'TagKeys').map((k) => k.toLowerCase());
  await model.roles.update(name, (role) => {
    role.tags = role.tags.filter((t) => !keys.includes(t.Key.toLowerCase()));
  });
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoleTags.html */
export async function listRoleTags({ model, params }: HandlerInput) {
  const role = model.roles.get(required(params, 'RoleName'));
  const { page, ...more } = paginate(role.tags, params);
  return { Tags: members(page), ...more };
}
