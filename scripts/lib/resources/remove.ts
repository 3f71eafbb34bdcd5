import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { isAwsError } from '../aws-errors.ts';
import { change, type Change, type RunContext } from '../context.ts';

/** Runs a delete; "already gone" counts as nothing removed. */
async function gone(action: () => Promise<unknown>, ...notFound: string[]): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (err) {
    if (isAwsError(err, ...notFound)) return false;
    throw err;
  }
}

export async function deleteFunction(ctx: RunContext, FunctionName: string): Promise<Change> {
  const removed = await gone(
    () => ctx.clients.lambda.send(new DeleteFunctionCommand({ FunctionName })),
    'ResourceNotFoundException',
  );
  return change('function', FunctionName, removed ? 'deleted' : 'unchanged', removed ? undefined : 'absent');
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
  const removed = await gone(
    () => ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
    'NoSuchEntity',
  );
  return change(
    'role-policy',
    `${RoleName}/${PolicyName}`,
    removed ? 'deleted' : 'unchanged',
    removed ? undefined : 'absent',
  );
}
