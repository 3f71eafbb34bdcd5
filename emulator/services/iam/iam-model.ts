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
import { openGroups, openUsers, type GroupRecord, type NamedStore, type UserRecord } from './user-store.ts';
import { userKeyLookup } from './user-keys.ts';

/** How SimulatePrincipalPolicy labels identity policies (recorded from IAM: "IAM Policy"). */
export const IDENTITY_POLICY_TYPE = 'IAM Policy';

/**
 * IAM's state (roles, users, groups and managed policies) and what it offers the rest of the
 * local AWS as `env.iam`: roles, the identity policies of a role or user, and the engine's verdict.
 */
export class IamModel implements IamDirectory {
  private constructor(
    readonly roles: RoleStore,
    readonly policies: ManagedPolicies,
    readonly users: NamedStore<UserRecord>,
    readonly groups: NamedStore<GroupRecord>,
  ) {}

  static async open(dataDir: string): Promise<IamModel> {
    return new IamModel(
      await RoleStore.open(dataDir),
      await ManagedPolicies.open(dataDir),
      await openUsers(dataDir),
      await openGroups(dataDir),
    );
  }

  /** Resolves a user's Active access key for the credential store (`env.credentials.useUserKeys`). */
  readonly userKey = userKeyLookup(this);

  getRole(nameOrArn: string): RoleInfo | undefined {
    const role = this.roles.find(nameOrArn);
    return role && toRoleInfo(role);
  }

  /**
   * The identity policies of a role, a group, or a user (its own, then its groups'), by ARN.
   * An ARN that names nothing has none.
   */
  identityPolicies(principalArn: string): AttachedPolicy[] {
    const kind = /^arn:aws:iam::\d{12}:(role|user|group)\//.exec(principalArn)?.[1];
    if (kind === 'role') return this.policiesOf(this.roles.find(principalArn));
    if (kind === 'group') return this.policiesOf(this.groups.find(principalArn));
    if (kind !== 'user') return [];
    const user = this.users.find(principalArn);
    if (!user) return [];
    return [...this.policiesOf(user), ...user.groups.flatMap((g) => this.policiesOf(this.groups.find(g)))];
  }

  /** Whether the role, user or group the ARN names exists. */
  principalExists(principalArn: string): boolean {
    const kind = /^arn:aws:iam::\d{12}:(role|user|group)\//.exec(principalArn)?.[1];
    const store =
      kind === 'role' ? this.roles : kind === 'user' ? this.users : kind ? this.groups : undefined;
    return store?.find(principalArn) !== undefined;
  }

  /** How many roles, users and groups have the managed policy attached. */
  attachmentCount(policyArn: string): number {
    const holders = [...this.users.list(), ...this.groups.list()];
    return (
      this.roles.attachmentCount(policyArn) +
      holders.filter((h) => h.attachedPolicyArns.includes(policyArn)).length
    );
  }

  private policiesOf(
    holder: { inlinePolicies: Record<string, string>; attachedPolicyArns: string[] } | undefined,
  ): AttachedPolicy[] {
    if (!holder) return [];
    const inline = Object.entries(holder.inlinePolicies).map(([id, document]): AttachedPolicy => ({
      id,
      type: 'inline',
      document,
    }));
    const managed = holder.attachedPolicyArns.flatMap((arn): AttachedPolicy[] => {
      const policy = this.policies.find(arn);
      return policy
        ? [{ id: policy.name, type: 'managed', document: this.policies.defaultDocument(policy) }]
        : [];
    });
    return [...inline, ...managed];
  }

  /** A role's, user's or group's identity policies as the engine takes them. */
  identitySources(principalArn: string): PolicySource[] {
    return this.identityPolicies(principalArn).map((p): PolicySource => ({
      id: p.id,
      type: IDENTITY_POLICY_TYPE,
      document: p.document,
    }));
  }

  /** The full evaluation of a role's, user's or group's identity policies, as SimulatePrincipalPolicy reports it. */
  simulate(principalArn: string, request: EvaluationRequest, extra: PolicySource[] = []): Evaluation {
    return evaluatePolicies([...this.identitySources(principalArn), ...extra], request);
  }

  evaluate(
    principalArn: string,
    action: string,
    resource: string,
    context: Record<string, string>,
  ): Decision {
    return this.simulate(principalArn, { action, resource, context }).decision;
  }

  async clear(): Promise<void> {
    await this.roles.clear();
    await this.policies.clear();
    await this.users.clear();
    await this.groups.clear();
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
