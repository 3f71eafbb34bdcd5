import { AwsError } from '../core/aws-error.ts';
import type { RequestContext } from '../core/context.ts';
import type { Operation } from '../core/env.ts';
import { evaluateCombined, type CombinedRequest } from '../services/iam/combined-evaluation.ts';
import { globalContext } from './global-context.ts';

/** The error code each service uses for a denied request. */
const DENIED_CODE: Record<string, string> = {
  s3: 'AccessDenied',
  iam: 'AccessDenied',
  sts: 'AccessDenied',
  lambda: 'AccessDeniedException',
  apigatewayv2: 'AccessDeniedException',
  logs: 'AccessDeniedException',
};

/** How SimulatePrincipalPolicy labels identity policies (recorded from IAM: "IAM Policy"). */
const IDENTITY = 'IAM Policy';

/**
 * Authorizes the request's principal for the operation's action and resource with the one
 * policy engine: the caller's identity policies (root has them all), and where the resource
 * has its own (an S3 bucket policy, ACLs) those too, combined as AWS does
 * (`services/iam/combined-evaluation.ts`). Anonymous callers get only what the resource grants.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function authorize(ctx: RequestContext, auth: NonNullable<Operation['authorization']>): void {
  const principal = ctx.principal;
  const access = auth.resourceAccess;
  const code = DENIED_CODE[ctx.service] ?? 'AccessDenied';
  if (!access) {
    if (principal.type === 'root') return;
    if (principal.type === 'anonymous') throw new AwsError(code, 'Access Denied', { status: 403 });
  }
  if (principal.type === 'root' && access?.rootAlwaysAllowed && principal.accountId === access.ownerAccount)
    return;
  const context = {
    ...globalContext(ctx),
    ...(principal.type === 'anonymous'
      ? {}
      : {
          // A session is its role (aws:PrincipalArn), a user and root are themselves.
          'aws:PrincipalArn': principal.type === 'role-session' ? principal.roleArn : principal.arn,
          'aws:userid': principal.userId,
          'aws:PrincipalAccount': principal.accountId,
          ...(principal.type === 'user' ? { 'aws:username': principal.userName } : {}),
        }),
    ...auth.context,
  };
  const caller: CombinedRequest['caller'] =
    principal.type === 'anonymous'
      ? { kind: 'anonymous' }
      : {
          kind: principal.type === 'root' ? 'root' : 'identity',
          principal: { arn: principal.arn, account: principal.accountId },
          account: principal.accountId,
        };
  // A session is authorized by its role's policies, a user by its own and its groups'.
  const identityArn =
    principal.type === 'role-session'
      ? principal.roleArn
      : principal.type === 'user'
        ? principal.arn
        : undefined;
  const identityPolicies =
    identityArn !== undefined
      ? (ctx.env.iam?.identityPolicies(identityArn) ?? []).map((p) => ({
          id: p.id,
          type: IDENTITY,
          document: p.document,
        }))
      : [];
  const evaluation = evaluateCombined({
    action: auth.action,
    resource: auth.resource,
    context,
    caller,
    identityPolicies,
    ...(access?.policy
      ? { resourcePolicy: { id: 'BucketPolicy', type: 'resource', document: access.policy } }
      : {}),
    resourceOwner: access?.ownerAccount ?? (principal.type === 'anonymous' ? '' : principal.accountId),
    ...(access?.policyAllowsOwnerOnly ? { resourceAllowOwnerOnly: true } : {}),
    otherGrant: access?.granted?.(principal) ?? false,
  });
  if (evaluation.decision === 'allowed') return;
  // The enhanced text is for callers of the owner's account only; others get plain "Access Denied".
  if (principal.type === 'anonymous' || (access && principal.accountId !== access.ownerAccount))
    throw new AwsError(code, 'Access Denied', { status: 403 });
  const resource = ctx.service === 's3' ? `"${auth.resource}"` : auth.resource;
  const why =
    evaluation.decision === 'explicitDeny'
      ? evaluation.deniedBy === 'resource'
        ? 'with an explicit deny in a resource-based policy'
        : 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${auth.action} action`;
  throw new AwsError(
    code,
    `User: ${principal.arn} is not authorized to perform: ${auth.action} on resource: ${resource} ${why}`,
    { status: 403 },
  );
}
