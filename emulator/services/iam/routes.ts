import { ACCOUNT_ID } from '../../auth/principal.ts';
import type { RequestContext } from '../../core/context.ts';
import type { QueryParams } from '../../protocols/query.ts';
import * as accessKeys from './access-key-handlers.ts';
import * as groups from './group-handlers.ts';
import type { IamModel } from './iam-model.ts';
import * as policies from './policy-handlers.ts';
import * as roles from './role-handlers.ts';
import type { HandlerInput } from './role-handlers.ts';
import * as rolePolicies from './role-policy-handlers.ts';
import { simulatePrincipalPolicy } from './simulate-handler.ts';
import * as users from './user-handlers.ts';
import * as userTags from './user-tag-handlers.ts';
import * as holderPolicies from './user-policy-handlers.ts';

type Handler = (input: HandlerInput) => Promise<unknown>;

/** What the operation acts on, for authorization (`iam:<Action>` on this ARN). */
type Target = (params: QueryParams, model: IamModel, ctx: RequestContext) => string;

const roleTarget: Target = (params, model) => {
  const name = params.get('RoleName') ?? '';
  return model.roles.find(name)?.arn ?? `arn:aws:iam::${ACCOUNT_ID}:role${params.get('Path') ?? '/'}${name}`;
};
/** The user named, or (no UserName: GetUser, the access-key operations) the caller itself. */
const userTarget: Target = (params, model, ctx) => {
  const name = params.get('UserName');
  if (name === undefined) return ctx.principal.type === 'anonymous' ? '*' : ctx.principal.arn;
  return model.users.find(name)?.arn ?? `arn:aws:iam::${ACCOUNT_ID}:user${params.get('Path') ?? '/'}${name}`;
};
const groupTarget: Target = (params, model) => {
  const name = params.get('GroupName') ?? '';
  return (
    model.groups.find(name)?.arn ?? `arn:aws:iam::${ACCOUNT_ID}:group${params.get('Path') ?? '/'}${name}`
  );
};
const policyTarget: Target = (params) => params.get('PolicyArn') ?? '*';
const anything: Target = () => '*';

/** The IAM operations the local AWS serves, by Query `Action`. */
export const IAM_OPERATIONS: Record<string, { handler: Handler; target: Target }> = {
  CreateRole: { handler: roles.createRole, target: roleTarget },
  GetRole: { handler: roles.getRole, target: roleTarget },
  ListRoles: { handler: roles.listRoles, target: anything },
  DeleteRole: { handler: roles.deleteRole, target: roleTarget },
  UpdateRole: { handler: roles.updateRole, target: roleTarget },
  UpdateAssumeRolePolicy: { handler: roles.updateAssumeRolePolicy, target: roleTarget },
  TagRole: { handler: roles.tagRole, target: roleTarget },
  UntagRole: { handler: roles.untagRole, target: roleTarget },
  ListRoleTags: { handler: roles.listRoleTags, target: roleTarget },
  PutRolePolicy: { handler: rolePolicies.putRolePolicy, target: roleTarget },
  GetRolePolicy: { handler: rolePolicies.getRolePolicy, target: roleTarget },
  ListRolePolicies: { handler: rolePolicies.listRolePolicies, target: roleTarget },
  DeleteRolePolicy: { handler: rolePolicies.deleteRolePolicy, target: roleTarget },
  AttachRolePolicy: { handler: rolePolicies.attachRolePolicy, target: roleTarget },
  DetachRolePolicy: { handler: rolePolicies.detachRolePolicy, target: roleTarget },
  ListAttachedRolePolicies: { handler: rolePolicies.listAttachedRolePolicies, target: roleTarget },
  CreatePolicy: {
    handler: policies.createPolicy,
    target: (p) => `arn:aws:iam::${ACCOUNT_ID}:policy${p.get('Path') ?? '/'}${p.get('PolicyName') ?? ''}`,
  },
  GetPolicy: { handler: policies.getPolicy, target: policyTarget },
  ListPolicies: { handler: policies.listPolicies, target: anything },
  DeletePolicy: { handler: policies.deletePolicy, target: policyTarget },
  GetPolicyVersion: { handler: policies.getPolicyVersion, target: policyTarget },
  CreatePolicyVersion: { handler: policies.createPolicyVersion, target: policyTarget },
  ListPolicyVersions: { handler: policies.listPolicyVersions, target: policyTarget },
  DeletePolicyVersion: { handler: policies.deletePolicyVersion, target: policyTarget },
  SetDefaultPolicyVersion: { handler: policies.setDefaultPolicyVersion, target: policyTarget },
  CreateUser: { handler: users.createUser, target: userTarget },
  GetUser: { handler: users.getUser, target: userTarget },
  ListUsers: { handler: users.listUsers, target: anything },
  DeleteUser: { handler: users.deleteUser, target: userTarget },
  TagUser: { handler: userTags.tagUser, target: userTarget },
  UntagUser: { handler: userTags.untagUser, target: userTarget },
  ListUserTags: { handler: userTags.listUserTags, target: userTarget },
  CreateGroup: { handler: groups.createGroup, target: groupTarget },
  GetGroup: { handler: groups.getGroup, target: groupTarget },
  ListGroups: { handler: groups.listGroups, target: anything },
  DeleteGroup: { handler: groups.deleteGroup, target: groupTarget },
  AddUserToGroup: { handler: groups.addUserToGroup, target: groupTarget },
  RemoveUserFromGroup: { handler: groups.removeUserFromGroup, target: groupTarget },
  ListGroupsForUser: { handler: groups.listGroupsForUser, target: userTarget },
  PutUserPolicy: { handler: holderPolicies.putUserPolicy, target: userTarget },
  GetUserPolicy: { handler: holderPolicies.getUserPolicy, target: userTarget },
  ListUserPolicies: { handler: holderPolicies.listUserPolicies, target: userTarget },
  DeleteUserPolicy: { handler: holderPolicies.deleteUserPolicy, target: userTarget },
  AttachUserPolicy: { handler: holderPolicies.attachUserPolicy, target: userTarget },
  DetachUserPolicy: { handler: holderPolicies.detachUserPolicy, target: userTarget },
  ListAttachedUserPolicies: { handler: holderPolicies.listAttachedUserPolicies, target: userTarget },
  PutGroupPolicy: { handler: holderPolicies.putGroupPolicy, target: groupTarget },
  GetGroupPolicy: { handler: holderPolicies.getGroupPolicy, target: groupTarget },
  ListGroupPolicies: { handler: holderPolicies.listGroupPolicies, target: groupTarget },
  DeleteGroupPolicy: { handler: holderPolicies.deleteGroupPolicy, target: groupTarget },
  AttachGroupPolicy: { handler: holderPolicies.attachGroupPolicy, target: groupTarget },
  DetachGroupPolicy: { handler: holderPolicies.detachGroupPolicy, target: groupTarget },
  ListAttachedGroupPolicies: { handler: holderPolicies.listAttachedGroupPolicies, target: groupTarget },
  CreateAccessKey: { handler: accessKeys.createAccessKey, target: userTarget },
  ListAccessKeys: { handler: accessKeys.listAccessKeys, target: userTarget },
  UpdateAccessKey: { handler: accessKeys.updateAccessKey, target: userTarget },
  DeleteAccessKey: { handler: accessKeys.deleteAccessKey, target: userTarget },
  SimulatePrincipalPolicy: {
    handler: simulatePrincipalPolicy,
    target: (p) => p.get('PolicySourceArn') ?? '*',
  },
};
