import { AwsError } from '../core/aws-error.ts';
import type { RequestContext } from '../core/context.ts';
import type { Operation } from '../core/env.ts';

/** The error code each service uses for a denied request. */
const DENIED_CODE: Record<string, string> = {
  s3: 'AccessDenied',
  iam: 'AccessDenied',
  sts: 'AccessDenied',
  lambda: 'AccessDeniedException',
  apigatewayv2: 'AccessDeniedException',
  logs: 'AccessDeniedException',
};

/**
 * Authorizes the request's principal for the operation's action and resource: root may do
 * anything; a role session needs an identity policy of its role that allows it and none
 * that denies it; anonymous callers are refused (the lab's buckets are private).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function authorize(ctx: RequestContext, auth: NonNullable<Operation['authorization']>): void {
  const principal = ctx.principal;
  if (principal.type === 'root') return;
  const code = DENIED_CODE[ctx.service] ?? 'AccessDenied';
  if (principal.type === 'anonymous') throw new AwsError(code, 'Access Denied', { status: 403 });
  const decision = ctx.env.iam?.evaluate(principal.roleArn, auth.action, auth.resource, {
    'aws:PrincipalArn': principal.roleArn,
    'aws:userid': principal.userId,
    'aws:PrincipalAccount': principal.accountId,
    ...auth.context,
  });
  if (decision === 'allowed') return;
  const resource = ctx.service === 's3' ? `"${auth.resource}"` : auth.resource;
  const why =
    decision === 'explicitDeny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${auth.action} action`;
  throw new AwsError(
    code,
    `User: ${principal.arn} is not authorized to perform: ${auth.action} on resource: ${resource} ${why}`,
    { status: 403 },
  );
}
