import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DeleteFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { isAwsError } from '../aws-errors.ts';
import { change, type Change, type RunContext } from '../context.ts';

/** Runs a call; "not found" gives false instead of an error. */
async function gone(action: () => Promise<unknown>, ...notFound: string[]): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (err) {
    if (isAwsError(err, ...notFound)) return false;
    throw err;
  }
}

/** Reads before deleting, so that a run over a stack without it makes no write call. */
export async function deleteFunction(ctx: RunContext, FunctionName: string): Promise<Change> {
  const absent = change('function', FunctionName, 'unchanged', 'absent');
  const exists = await gone(
    () => ctx.clients.lambda.send(new GetFunctionCommand({ FunctionName })),
    'ResourceNotFoundException',
  );
  if (!exists) return absent;
  const removed = await gone(
    () => ctx.clients.lambda.send(new DeleteFunctionCommand({ FunctionName })),
    'ResourceNotFoundException',
  );
  return removed ? change('function', FunctionName, 'deleted') : absent;
}

/** A role goes only once its managed policies are detached and its inline policies deleted. */
export async function deleteRole(ctx: RunContext, RoleName: string): Promise<Change> {
  const { iam } = ctx.clients;
  const absent = change('role', RoleName, 'unchanged', 'absent');
  let attached;
  try {
    attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }));
  } catch (err) {
    if (isAwsError(err, 'NoSuchEntity')) return absent;
    throw err;
  }
  for (const { PolicyArn } of attached.AttachedPolicies ?? []) {
    await gone(() => iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn })), 'NoSuchEntity');
  }
  const inline = await iam.send(new ListRolePoliciesCommand({ RoleName }));
  for (const PolicyName of inline.PolicyNames ?? []) {
    await gone(() => iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })), 'NoSuchEntity');
  }
  const removed = await gone(() => iam.send(new DeleteRoleCommand({ RoleName })), 'NoSuchEntity');
  return removed ? change('role', RoleName, 'deleted') : absent;
}

export async function deleteInlinePolicy(
  ctx: RunContext,
  RoleName: string,
  PolicyName: string,
): Promise<Change> {
  const { iam } = ctx.clients;
  const absent = change('role-policy', `${RoleName}/${PolicyName}`, 'unchanged', 'absent');
  if (!(await gone(() => iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })), 'NoSuchEntity')))
    return absent;
  const removed = await gone(
    () => iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
    'NoSuchEntity',
  );
  return removed ? change('role-policy', `${RoleName}/${PolicyName}`, 'deleted') : absent;
}
