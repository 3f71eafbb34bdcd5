import { Consistency } from '../../core/consistency.ts';
import type { AttachedPolicy, IamDirectory, RoleInfo } from '../../core/env.ts';
import { SettingHistory } from '../../core/setting-history.ts';
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
  /** `--consistency aws`: identity-policy sets replaced less than their delay ago, by principal ARN. */
  private readonly policyHistory: SettingHistory<AttachedPolicy[]>;
  /** `--consistency aws`: roles created, or whose trust policy changed, less than their delay ago. */
  private readonly roleHistory: SettingHistory<true>;

  private constructor(
    readonly roles: RoleStore,
    readonly policies: ManagedPolicies,
    consistency: Consistency,
  ) {
    this.policyHistory = new SettingHistory(consistency, 'identityPolicy');
    this.roleHistory = new SettingHistory(consistency, 'rolePropagation');
  }

  static async open(dataDir: string, consistency = new Consistency()): Promise<IamModel> {
    return new IamModel(await RoleStore.open(dataDir), await ManagedPolicies.open(dataDir), consistency);
  }

  /**
   * Runs a change and notes, for `--consistency aws`, each role whose identity policies or trust
   * changed (any operation: inline, managed, a new default version), so they apply after a delay.
   */
  async tracked<T>(change: () => Promise<T>): Promise<T> {
    const before = new Map(this.roles.list().map((r) => [r.arn, this.snapshot(r.arn)] as const));
    try {
      return await change();
    } finally {
      const after = new Set(this.roles.list().map((r) => r.arn));
      // A deleted role's history goes with it: a new role of the same name starts afresh.
      for (const arn of before.keys())
        if (!after.has(arn)) {
          this.policyHistory.forget(arn);
          this.roleHistory.forget(arn);
        }
      for (const role of this.roles.list()) {
        const was = before.get(role.arn);
        const now = this.snapshot(role.arn);
        if (!was || was.trust !== now.trust) this.roleHistory.replaced(role.arn, true);
        if (was && JSON.stringify(was.policies) !== JSON.stringify(now.policies))
          this.policyHistory.replaced(role.arn, was.policies);
      }
    }
  }

  /** Whether Lambda (or another service) can already use the role: not while a creation or trust change propagates. */
  rolePropagated(roleArn: string): boolean {
    return !this.roleHistory.pending(roleArn);
  }

  private snapshot(roleArn: string): { trust: string | undefined; policies: AttachedPolicy[] } {
    return { trust: this.roles.find(roleArn)?.assumeRolePolicyDocument, policies: this.current(roleArn) };
  }

  getRole(nameOrArn: string): RoleInfo | undefined {
    const role = this.roles.find(nameOrArn);
    return role && toRoleInfo(role);
  }

  /** The identity policies in force: with `--consistency aws`, a recent change may not be yet. */
  identityPolicies(roleArn: string): AttachedPolicy[] {
    return this.policyHistory.inForce(roleArn, this.current(roleArn));
  }

  /** The identity policies as IAM stores them now. */
  private current(roleArn: string): AttachedPolicy[] {
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

  /** The full evaluation of a role's identity policies, as SimulatePrincipalPolicy reports it. */
  simulate(roleArn: string, request: EvaluationRequest, extra: PolicySource[] = []): Evaluation {
    const sources = this.identityPolicies(roleArn).map((p): PolicySource => ({
      id: p.id,
      type: IDENTITY_POLICY_TYPE,
      document: p.document,
    }));
    return evaluatePolicies([...sources, ...extra], request);
  }

  evaluate(roleArn: string, action: string, resource: string, context: Record<string, string>): Decision {
    return this.simulate(roleArn, { action, resource, context }).decision;
  }

  async clear(): Promise<void> {
    this.policyHistory.clear();
    this.roleHistory.clear();
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
