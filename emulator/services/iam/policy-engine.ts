/**
 * The one IAM policy engine of the local AWS. It decides role requests (`env.iam.evaluate`),
 * answers SimulatePrincipalPolicy, and checks resource and trust policies for other services.
 *
 * For other services (Lambda's resource policy, STS trust policies):
 *
 *   import { evaluateResourcePolicy } from '../iam/policy-engine.ts';
 *   evaluateResourcePolicy(policyJson, {
 *     principal: { service: 'apigateway.amazonaws.com' },  // or { arn, account } for an AWS caller
 *     action: 'lambda:InvokeFunction',
 *     resource: functionArn,
 *     context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': '000000000000' },
 *   }); // → 'allowed' | 'explicitDeny' | 'implicitDeny'
 *
 * A statement applies when its Principal (resource policies), Action/NotAction,
 * Resource/NotResource and every Condition match. Any applicable Deny wins; otherwise an
 * applicable Allow allows; otherwise the default is an implicit deny. An operator we do not
 * know never grants: an Allow using it does not apply, a Deny using it does (fail closed).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { evaluateConditions, type RequestContextValues } from './condition-operators.ts';
import type { TextPosition } from './json-positions.ts';
import { parsePolicy, type ParsedPolicy, type PolicyStatement } from './policy-document.ts';
import { principalMatches, type RequestPrincipal } from './principal-match.ts';
import { wildcardMatch } from './wildcard.ts';

export type { RequestPrincipal } from './principal-match.ts';
export type { RequestContextValues } from './condition-operators.ts';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** A policy to evaluate: its name as SimulatePrincipalPolicy reports it, its type, its JSON text. */
export interface PolicySource {
  id: string;
  type: string;
  document: string;
}

export interface EvaluationRequest {
  action: string;
  resource: string;
  context?: RequestContextValues;
  /** Resource and trust policies only: who is asking. Identity policies ignore Principal. */
  principal?: RequestPrincipal;
}

export interface MatchedStatement {
  sourcePolicyId: string;
  sourcePolicyType: string;
  startPosition: TextPosition;
  endPosition: TextPosition;
}

export interface Evaluation {
  decision: Decision;
  /** The statements that decided: the Denies for an explicit deny, the Allows for allowed. */
  matchedStatements: MatchedStatement[];
  /** Condition keys the applicable statements needed but the request lacked. */
  missingContextValues: string[];
}

/** Evaluates identity policies (no `principal`) or resource policies (with `principal`) together. */
export function evaluatePolicies(sources: PolicySource[], request: EvaluationRequest): Evaluation {
  const allows: MatchedStatement[] = [];
  const denies: MatchedStatement[] = [];
  const missing = new Set<string>();
  for (const source of sources) {
    const policy = cachedParse(source.document);
    if (!policy) continue;
    for (const statement of policy.statements) {
      if (!targets(statement, request)) continue;
      const cond = evaluateConditions(statement.conditions, request.context ?? {});
      for (const key of cond.missing) missing.add(key);
      const applies = cond.unsupported ? statement.effect === 'Deny' : cond.holds;
      if (!applies) continue;
      const match: MatchedStatement = {
        sourcePolicyId: source.id,
        sourcePolicyType: source.type,
        startPosition: statement.span.start,
        endPosition: statement.span.end,
      };
      (statement.effect === 'Deny' ? denies : allows).push(match);
    }
  }
  const decision: Decision = denies.length ? 'explicitDeny' : allows.length ? 'allowed' : 'implicitDeny';
  return {
    decision,
    matchedStatements: decision === 'explicitDeny' ? denies : decision === 'allowed' ? allows : [],
    missingContextValues: decision === 'allowed' ? [] : [...missing],
  };
}

/**
 * A resource-based or trust policy's verdict for one caller (see the top of this file).
 * A policy that does not parse allows nothing.
 */
export function evaluateResourcePolicy(
  policyJson: string,
  request: {
    principal: RequestPrincipal;
    action: string;
    resource: string;
    context?: RequestContextValues;
  },
): Decision {
  return evaluatePolicies([{ id: 'resource-policy', type: 'resource', document: policyJson }], request)
    .decision;
}

/** Principal (when asked), Action and Resource all match; conditions come after. */
function targets(s: PolicyStatement, request: EvaluationRequest): boolean {
  if (request.principal) {
    if (s.principal) {
      if (!principalMatches(s.principal, request.principal)) return false;
    } else if (s.notPrincipal) {
      if (principalMatches(s.notPrincipal, request.principal)) return false;
    } else return false;
  }
  const actionIn = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, request.action, true));
  if (s.actions ? !actionIn(s.actions) : !s.notActions || actionIn(s.notActions)) return false;
  const resourceIn = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, request.resource));
  if (s.resources) return resourceIn(s.resources);
  if (s.notResources) return !resourceIn(s.notResources);
  // Trust policies carry no Resource: the statement is about the role it is attached to.
  return request.principal !== undefined;
}

const cache = new Map<string, ParsedPolicy | undefined>();

function cachedParse(text: string): ParsedPolicy | undefined {
  if (cache.has(text)) return cache.get(text);
  let parsed: ParsedPolicy | undefined;
  try {
    parsed = parsePolicy(text);
  } catch {
    parsed = undefined;
  }
  if (cache.size >= 500) cache.delete(cache.keys().next().value!);
  cache.set(text, parsed);
  return parsed;
}
