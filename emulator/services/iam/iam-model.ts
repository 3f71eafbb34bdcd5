import type { AttachedPolicy, IamDirectory, RoleInfo } from '../../core/env.ts';
import { ManagedPolicies } from './managed-policies.ts';
import {
  evaluatePolicies,
  type Decision,
  type Evaluation,
  type EvaluationRequest,
  type PolicySource,
} from './policy-engine.ts';
import { RoleStore, type RoleRecord } from './role-store.ts';

/** How SimulatePrincipalPolicy labels identity policies (recorded from IAM: "IAM Policy"). */
export const IDENTITY_POLICY_TYPE = 'IAM Policy';

/**
 * IAM's state (roles and managed policies) and what it offers the rest of the local AWS as
 * `env.iam`: roles, their identity policies, and the engine's verdict on them.
 */
export class IamModel implements IamDirectory {
  private constructor(
    readonly roles: RoleStore,
    readonly policies: ManagedPolicies,
  ) {}

  static async open(dataDir: string): Promise<IamModel> {
    return new IamModel(await RoleStore.open(dataDir), await ManagedPolicies.open(dataDir));
  }

  getRole(nameOrArn: string): RoleInfo | undefined {
    const role = this.roles.find(nameOrArn);
    return role && toRoleInfo(role);
  }

  identityPolicies(roleArn: string): AttachedPolicy[] {
    const role = this.roles.find(roleArn);
    if (!role) return [];
    const inline = Object.entries(role.inlinePolicies).map(([id, document]): AttachedPolicy => ({
      id,
      type: 'inline',
      document,
    }));
    const managed = role.attachedPolicyArns.flatMap((arn): AttachedPolicy[] => {
      const policy = this.policies.find(arn);
      return policy
        ? [{ id: policy.name, type: 'managed', document: this.policies.defaultDocument(policy) }]
        : [];
    });
    return [...inline, ...managed];
  }

  /** A role's identity policies as the engine takes them. */
  identitySources(roleArn: string): PolicySource[] {
    return this.identityPolicies(roleArn).map((p): PolicySource => ({
      id: p.id,
      type: IDENTITY_POLICY_TYPE,
      document: p.document,
    }));
  }

  /** The full evaluation of a role's identity policies, as SimulatePrincipalPolicy reports it. */
  simulate(roleArn: string, request: EvaluationRequest, extra: PolicySource[] = []): Evaluation {
    return evaluatePolicies([...this.identitySources(roleArn), ...extra], request);
  }

  evaluate(roleArn: string, action: string, resource: string, context: Record<string, string>): Decision {
    return this.simulate(roleArn, { action, resource, context }).decision;
  }

  async clear(): Promise<void> {
    await this.roles.clear();
    await this.policies.clear();
  }
}

export function toRoleInfo(role: RoleRecord): RoleInfo {
  return {
    arn: role.arn,
    name: role.name,
    roleId: role.roleId,
    assumeRolePolicyDocument: role.assumeRolePolicyDocument,
    maxSessionDuration: role.maxSessionDuration,
  };
}
