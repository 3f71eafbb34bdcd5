import { AddPermissionCommand, GetPolicyCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { isAwsError } from '../aws-errors.ts';
import { change, type Change, type RunContext } from '../context.ts';
import type { FunctionKey } from '../names.ts';
import { requireFunctionArn } from './require.ts';

/** A statement of a function's resource policy that lets an AWS service invoke it. */
export interface InvokePermission {
  function: FunctionKey;
  sid: string;
  principal: 's3.amazonaws.com' | 'apigateway.amazonaws.com';
  sourceArn: string;
  /** Only S3 needs it: bucket ARNs carry no account. */
  sourceAccount?: string;
}

interface Statement {
  Sid?: string;
  Principal?: { Service?: string } | string;
  Action?: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

/** The function's resource-policy statements; none when it has no policy. */
export async function policyStatements(ctx: RunContext, FunctionName: string): Promise<Statement[]> {
  try {
    const out = await ctx.clients.lambda.send(new GetPolicyCommand({ FunctionName }));
    const policy = JSON.parse(out.Policy ?? '{}') as { Statement?: Statement[] };
    return policy.Statement ?? [];
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return [];
    throw err;
  }
}

function matches(s: Statement, want: InvokePermission): boolean {
  const principal = typeof s.Principal === 'string' ? s.Principal : s.Principal?.Service;
  const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
  return (
    principal === want.principal &&
    actions.includes('lambda:InvokeFunction') &&
    s.Condition?.ArnLike?.['AWS:SourceArn'] === want.sourceArn &&
    s.Condition.StringEquals?.['AWS:SourceAccount'] === want.sourceAccount
  );
}

/** AddPermission, or RemovePermission + AddPermission when the statement says something else. */
export async function ensurePermission(ctx: RunContext, want: InvokePermission): Promise<Change> {
  await requireFunctionArn(ctx, want.function);
  const FunctionName = ctx.names.functions[want.function];
  const label = `${FunctionName} ← ${want.principal.split('.')[0]} (${want.sid})`;
  const existing = (await policyStatements(ctx, FunctionName)).find((s) => s.Sid === want.sid);
  if (existing && matches(existing, want)) return change('permission', label, 'unchanged');
  if (existing)
    await ctx.clients.lambda.send(new RemovePermissionCommand({ FunctionName, StatementId: want.sid }));
  await ctx.clients.lambda.send(
    new AddPermissionCommand({
      FunctionName,
      StatementId: want.sid,
      Action: 'lambda:InvokeFunction',
      Principal: want.principal,
      SourceArn: want.sourceArn,
      ...(want.sourceAccount ? { SourceAccount: want.sourceAccount } : {}),
    }),
  );
  return change('permission', label, existing ? 'updated' : 'created');
}

/** RemovePermission when the statement is there (and the function too). */
export async function removePermission(ctx: RunContext, fn: FunctionKey, sid: string): Promise<Change> {
  const FunctionName = ctx.names.functions[fn];
  const label = `${FunctionName} (${sid})`;
  const present = (await policyStatements(ctx, FunctionName)).some((s) => s.Sid === sid);
  if (!present) return change('permission', label, 'unchanged', 'absent');
  await ctx.clients.lambda.send(new RemovePermissionCommand({ FunctionName, StatementId: sid }));
  return change('permission', label, 'deleted');
}
