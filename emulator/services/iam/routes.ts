import { ACCOUNT_ID } from '../../auth/principal.ts';
import type { QueryParams } from '../../protocols/query.ts';
import type { IamModel } from './iam-model.ts';
import * as policies from './policy-handlers.ts';
import * as roles from './role-handlers.ts';
import type { HandlerInput } from './role-handlers.ts';
import * as rolePolicies from './role-policy-handlers.ts';
import { simulatePrincipalPolicy } from './simulate-handler.ts';

type Handler = (input: HandlerInput) => Promise<unknown>;

/** What the operation acts on, for authorization (`iam:<Action>` on this ARN). */
type Target = (params: QueryParams, model: IamModel) => string;

const roleTarget: Target = (params, model) => {
  const name = params.get('RoleName') ?? '';
  return model.roles.find(name)?.arn ?? `arn:aws:iam::${ACCOUNT_ID}:role${params.get('Path') ?? '/'}${name}`;
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
  SimulatePrincipalPolicy: {
    handler: simulatePrincipalPolicy,
    target: (p) => p.get('PolicySourceArn') ?? '*',
  },
};
