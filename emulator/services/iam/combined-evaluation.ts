/**
 * Identity policies and a resource policy (an S3 bucket policy) decided together, as AWS does
 * for a request: this is how requests to S3 are authorized and how SimulatePrincipalPolicy
 * answers when given a `ResourcePolicy`. Both go through `evaluatePolicies`, the one engine.
 *
 * - Any explicit Deny, in either, wins.
 * - Same account: an Allow in the identity policies OR in the resource policy (or another grant,
 *   an S3 ACL) suffices; the account's root has every identity permission.
 * - Another account: the identity side AND the resource side must allow.
 * - Anonymous: only the resource side (a `*` principal, a public ACL) can allow.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import {
  evaluatePolicies,
  type Decision,
  type Evaluation,
  type MatchedStatement,
  type PolicySource,
  type RequestContextValues,
  type RequestPrincipal,
} from './policy-engine.ts';

export interface CombinedRequest {
  action: string;
  resource: string;
  context?: RequestContextValues;
  /** `root` of an account, an IAM identity with identity policies, or an unsigned caller. */
  caller: { kind: 'root' | 'identity'; principal: RequestPrincipal; account: string } | { kind: 'anonymous' };
  /** The caller's identity policies (IAM identities only). */
  identityPolicies: PolicySource[];
  resourcePolicy?: PolicySource;
  /** The account that owns the resource. */
  resourceOwner: string;
  /** Allows of the resource policy count only for the owner account (S3 RestrictPublicBuckets). */
  resourceAllowOwnerOnly?: boolean;
  /** A grant outside any policy (an S3 ACL) lets the caller do it. */
  otherGrant?: boolean;
}

export interface CombinedEvaluation extends Evaluation {
  /** Which side's explicit Deny decided, for the AccessDenied text. */
  deniedBy?: 'identity' | 'resource';
}

const ANONYMOUS: RequestPrincipal = {};

/** The verdict for one request (see the top of this file). */
export function evaluateCombined(request: CombinedRequest): CombinedEvaluation {
  const { action, resource, caller } = request;
  const context = request.context ?? {};
  const identity: Evaluation =
    caller.kind === 'identity'
      ? evaluatePolicies(request.identityPolicies, { action, resource, context })
      : {
          decision: caller.kind === 'root' ? 'allowed' : 'implicitDeny',
          matchedStatements: [],
          missingContextValues: [],
        };
  const principal = caller.kind === 'anonymous' ? ANONYMOUS : caller.principal;
  const onResource: Evaluation = request.resourcePolicy
    ? evaluatePolicies([request.resourcePolicy], { action, resource, context, principal })
    : { decision: 'implicitDeny', matchedStatements: [], missingContextValues: [] };
  const missing = [...new Set([...identity.missingContextValues, ...onResource.missingContextValues])];
  if (identity.decision === 'explicitDeny' || onResource.decision === 'explicitDeny') {
    const denies = [identity, onResource].flatMap((e) =>
      e.decision === 'explicitDeny' ? e.matchedStatements : [],
    );
    return {
      decision: 'explicitDeny',
      matchedStatements: denies,
      missingContextValues: missing,
      deniedBy: identity.decision === 'explicitDeny' ? 'identity' : 'resource',
    };
  }
  const sameAccount = caller.kind !== 'anonymous' && caller.account === request.resourceOwner;
  const policyAllows = onResource.decision === 'allowed' && (sameAccount || !request.resourceAllowOwnerOnly);
  const resourceSide = policyAllows || request.otherGrant === true;
  const identitySide = identity.decision === 'allowed';
  const allowed =
    caller.kind === 'anonymous'
      ? resourceSide
      : sameAccount
        ? identitySide || resourceSide
        : identitySide && resourceSide;
  const decision: Decision = allowed ? 'allowed' : 'implicitDeny';
  const matched: MatchedStatement[] = allowed
    ? [...identity.matchedStatements, ...(policyAllows ? onResource.matchedStatements : [])]
    : [];
  return { decision, matchedStatements: matched, missingContextValues: allowed ? [] : missing };
}
