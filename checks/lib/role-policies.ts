import type { CheckContext } from '../context.ts';
import { evaluate, parsePolicyDocument, type Decision, type PolicyDocument } from './iam-eval.ts';

/** The role's identity policies: inline ones and attached managed ones (their default version). */
export async function rolePolicies(ctx: CheckContext, roleName: string): Promise<PolicyDocument[]> {
  const iam = await ctx.aws.iam();
  const {
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRolePolicyCommand,
    ListAttachedRolePoliciesCommand,
    ListRolePoliciesCommand,
  } = await import('@aws-sdk/client-iam');
  const [inline, attached] = await Promise.all([
    iam.send(new ListRolePoliciesCommand({ RoleName: roleName })),
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
  ]);
  const inlineDocs = (inline.PolicyNames ?? []).map(async (name) => {
    const out = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    return parsePolicyDocument(`inline:${name}`, out.PolicyDocument ?? '{}');
  });
  const managedDocs = (attached.AttachedPolicies ?? []).map(async (p) => {
    const arn = p.PolicyArn ?? '';
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId ?? 'v1' }),
    );
    return parsePolicyDocument(arn, version.PolicyVersion?.Document ?? '{}');
  });
  return Promise.all([...inlineDocs, ...managedDocs]);
}

export interface PermissionEvidence {
  decision: Decision | 'unknown';
  /** `simulation` when IAM's SimulatePrincipalPolicy answered, `local` when the same rules ran here. */
  by: 'simulation' | 'local' | 'none';
  policies: PolicyDocument[];
  note?: string;
}

/** May the role `action` on `resource`? IAM's simulator where the checker may use it, else the same evaluation here. */
export async function judgeRole(
  ctx: CheckContext,
  role: { name: string; arn: string },
  action: string,
  resource: string,
): Promise<PermissionEvidence> {
  const iam = await ctx.aws.iam();
  const { SimulatePrincipalPolicyCommand } = await import('@aws-sdk/client-iam');
  const [policies, simulated] = await Promise.all([
    rolePolicies(ctx, role.name).catch((err: Error) => err),
    iam
      .send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: role.arn,
          ActionNames: [action],
          ResourceArns: [resource],
        }),
      )
      .then((out) => out.EvaluationResults?.[0]?.EvalDecision as Decision | undefined)
      .catch((err: Error) => err),
  ]);
  const docs = policies instanceof Error ? [] : policies;
  if (typeof simulated === 'string') return { decision: simulated, by: 'simulation', policies: docs };
  if (policies instanceof Error) {
    return {
      decision: 'unknown',
      by: 'none',
      policies: [],
      note: `cannot read the role's policies: ${policies.message}`,
    };
  }
  const note = simulated instanceof Error ? `SimulatePrincipalPolicy: ${simulated.message}` : undefined;
  return {
    decision: evaluate(docs, action, resource).decision,
    by: 'local',
    policies: docs,
    ...(note ? { note } : {}),
  };
}
