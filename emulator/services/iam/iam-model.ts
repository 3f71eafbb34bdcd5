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
import { openGroups, openUsers, type GroupRecord, type NamedStore, type UserRecord } from './user-store.ts';
import { userKeyLookup } from './user-keys.ts';

/** How SimulatePrincipalPolicy labels identity policies (recorded from IAM: "IAM Policy"). */
export const IDENTITY_POLICY_TYPE = 'IAM Policy';

/**
 * IAM's state (roles, users, groups and managed policies) and what it offers the rest of the
 * local AWS as `env.iam`: roles, the identity policies of a role or user, and the engine's verdict.
 */
export class IamModel implements IamDirectory {
  /** `--consistency aws`: identity-policy sets replaced less than their delay ago, by principal ARN. */
  private readonly policyHistory: SettingHistory<AttachedPolicy[]>;
  /** `--consistency aws`: roles created, or whose trust policy changed, less than their delay ago. */
  private readonly roleHistory: SettingHistory<true>;

  private constructor(
    readonly roles: RoleStore,
    readonly policies: ManagedPolicies,
    readonly users: NamedStore<UserRecord>,
    readonly groups: NamedStore<GroupRecord>,
    consistency: Consistency,
  ) {
    this.policyHistory = new SettingHistory(consistency, 'identityPolicy');
    this.roleHistory = new SettingHistory(consistency, 'rolePropagation');
  }

  static async open(dataDir: string, consistency = new Consistency()): Promise<IamModel> {
    return new IamModel(
      await RoleStore.open(dataDir),
      await ManagedPolicies.open(dataDir),
      await openUsers(dataDir),
      await openGroups(dataDir),
      consistency,
    );
  }

  /** Every role and user ARN: the principals whose identity policies a change can alter. */
  private principalArns(): string[] {
    return [...this.roles.list().map((r) => r.arn), ...this.users.list().map((u) => u.arn)];
  }

  /**
   * Runs a change and notes, for `--consistency aws`, each role or user whose identity policies
   * (a user's include its groups') or trust changed (any operation: inline, managed, a new default
   * version, group membership), so they apply after a delay.
   */
  async tracked<T>(change: () => Promise<T>): Promise<T> {
    const before = new Map(this.principalArns().map((arn) => [arn, this.snapshot(arn)] as const));
    try {
      return await change();
    } finally {
      const after = new Set(this.principalArns());
      // A deleted principal's history goes with it: a new one of the same name starts afresh.
      for (const arn of before.keys())
        if (!after.has(arn)) {
          this.policyHistory.forget(arn);
          this.roleHistory.forget(arn);
        }
      for (const arn of after) {
        const was = before.get(arn);
        const now = this.snapshot(arn);
        const isRole = now.trust !== undefined;
        if (isRole && (!was || was.trust !== now.trust)) this.roleHistory.replaced(arn, true);
        if (was && JSON.stringify(was.policies) !== JSON.stringify(now.policies))
          this.policyHistory.replaced(arn, was.policies);
      }
    }
  }

  /** Whether Lambda (or another service) can already use the role: not while a creation or trust change propagates. */
  rolePropagated(roleArn: string): boolean {
    return !this.roleHistory.pending(roleArn);
  }

  private snapshot(arn: string): { trust: string | undefined; policies: AttachedPolicy[] } {
    return { trust: this.roles.find(arn)?.assumeRolePolicyDocument, policies: this.current(arn) };
  }

  /** Resolves a user's Active access key for the credential store (`env.credentials.useUserKeys`). */
  readonly userKey = userKeyLookup(this);

  getRole(nameOrArn: string): RoleInfo | undefined {
    const role = this.roles.find(nameOrArn);
    return role && toRoleInfo(role);
  }

  /** The identity policies in force: with `--consistency aws`, a recent change may not be yet. */
  identityPolicies(principalArn: string): AttachedPolicy[] {
    return this.policyHistory.inForce(principalArn, this.current(principalArn));
  }

  /**
   * The identity policies of a role, a group, or a user (its own, then its groups'), by ARN, as
   * IAM stores them now. An ARN that names nothing has none.
   */
  private current(principalArn: string): AttachedPolicy[] {
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
    this.policyHistory.clear();
    this.roleHistory.clear();
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
