import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  type Role,
} from '@aws-sdk/client-iam';
import { isAwsError } from '../aws-errors.ts';
import { change, type Change, type RunContext } from '../context.ts';
import type { FunctionKey } from '../names.ts';
import type { PolicyDocument } from '../policies.ts';
import { parsePolicyText, sameJson } from './json.ts';
import { requireRole } from './require.ts';
import { hasMissing, missingTags, tagList, tagRecord } from './tags.ts';

export const LAMBDA_TRUST_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** Lets the function write its logs to CloudWatch. */
export const basicExecutionPolicyArn = (partition: string): string =>
  `arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`;

async function getRole(ctx: RunContext, RoleName: string): Promise<Role | undefined> {
  try {
    return (await ctx.clients.iam.send(new GetRoleCommand({ RoleName }))).Role;
  } catch (err) {
    if (isAwsError(err, 'NoSuchEntity')) return undefined;
    throw err;
  }
}

/**
 * A function's execution role: trusted by Lambda, AWSLambdaBasicExecutionRole attached, tagged,
 * and the given inline policies. Inline policies not named here are left alone (a lab step adds one).
 */
export async function ensureRole(
  ctx: RunContext,
  key: FunctionKey,
  inline: Record<string, PolicyDocument> = {},
): Promise<Change> {
  const { iam } = ctx.clients;
  const RoleName = ctx.names.roles[key];
  const updated: string[] = [];
  let role = await getRole(ctx, RoleName);
  const created = role === undefined;
  if (!role) {
    role = (
      await iam.send(
        new CreateRoleCommand({
          RoleName,
          AssumeRolePolicyDocument: JSON.stringify(LAMBDA_TRUST_POLICY),
          Description: `Execution role of ${ctx.names.functions[key]} (presigned upload lab)`,
          Tags: tagList(ctx.names.tags),
        }),
      )
    ).Role;
  } else {
    if (!sameJson(parsePolicyText(role.AssumeRolePolicyDocument), LAMBDA_TRUST_POLICY)) {
      await iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify(LAMBDA_TRUST_POLICY) }),
      );
      updated.push('trust policy');
    }
    const missing = missingTags(tagRecord(role.Tags), ctx.names.tags);
    if (hasMissing(missing)) {
      await iam.send(new TagRoleCommand({ RoleName, Tags: tagList(missing) }));
      updated.push('tags');
    }
  }
  ctx.found.roleArns[key] =
    role?.Arn ?? `arn:${ctx.target.partition}:iam::${ctx.target.account}:role/${RoleName}`;

  const managed = basicExecutionPolicyArn(ctx.target.partition);
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }));
  if (!(attached.AttachedPolicies ?? []).some((p) => p.PolicyArn === managed)) {
    await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: managed }));
    updated.push('AWSLambdaBasicExecutionRole');
  }
  for (const [PolicyName, doc] of Object.entries(inline)) {
    if ((await putInlinePolicy(ctx, RoleName, PolicyName, doc)) !== 'unchanged') updated.push(PolicyName);
  }
  if (created || updated.length) ctx.iamChanged = true;
  if (created) return change('role', RoleName, 'created');
  return updated.length
    ? change('role', RoleName, 'updated', updated.join(', '))
    : change('role', RoleName, 'unchanged');
}

/** Writes an inline policy unless the same document is already there. */
async function putInlinePolicy(
  ctx: RunContext,
  RoleName: string,
  PolicyName: string,
  doc: PolicyDocument,
): Promise<'created' | 'updated' | 'unchanged'> {
  let existed = false;
  try {
    const have = await ctx.clients.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
    if (sameJson(parsePolicyText(have.PolicyDocument), doc)) return 'unchanged';
    existed = true;
  } catch (err) {
    if (!isAwsError(err, 'NoSuchEntity')) throw err;
  }
  await ctx.clients.iam.send(
    new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: JSON.stringify(doc) }),
  );
  return existed ? 'updated' : 'created';
}

/** One inline policy on an existing role (the lab's put-permission step). */
export async function ensureInlinePolicy(
  ctx: RunContext,
  key: FunctionKey,
  PolicyName: string,
  doc: PolicyDocument,
): Promise<Change> {
  await requireRole(ctx, key);
  const RoleName = ctx.names.roles[key];
  const action = await putInlinePolicy(ctx, RoleName, PolicyName, doc);
  if (action !== 'unchanged') ctx.iamChanged = true;
  return change('role-policy', `${RoleName}/${PolicyName}`, action);
}
