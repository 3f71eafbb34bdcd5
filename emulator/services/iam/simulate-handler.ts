import { memberList, type QueryParams } from '../../protocols/query.ts';
import type { MatchedStatement, PolicySource } from './policy-engine.ts';
import { IDENTITY_POLICY_TYPE } from './iam-model.ts';
import { noSuchRole } from './role-store.ts';
import { noSuchGroup, noSuchUser } from './user-store.ts';
import type { HandlerInput } from './role-handlers.ts';
import { evaluateCombined } from './combined-evaluation.ts';
import { parsePolicy, PolicyError } from './policy-document.ts';
import { members, paginate } from './shapes.ts';
import { malformedPolicy, required, validateIdentityPolicy, validationError } from './validation.ts';

/** `ContextEntries.member.N.ContextKeyName` / `.ContextKeyValues.member.M`. */
function readContext(params: QueryParams): Record<string, string[]> {
  const context: Record<string, string[]> = {};
  for (let i = 1; params.has(`ContextEntries.member.${i}.ContextKeyName`); i++) {
    const key = params.get(`ContextEntries.member.${i}.ContextKeyName`)!;
    context[key] = memberList(params, `ContextEntries.member.${i}.ContextKeyValues`);
  }
  return context;
}

/** An unknown source is `NoSuchEntity` (SDK error list); the wording, IAM's usual per kind, is [UNVERIFIED]. */
function noSuchSource(arn: string) {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  if (/^arn:aws:iam::\d{12}:user\//.test(arn)) return noSuchUser(name);
  if (/^arn:aws:iam::\d{12}:group\//.test(arn)) return noSuchGroup(name);
  return noSuchRole(name);
}

/** The account of an ARN (`arn:aws:iam::<acct>:…`) or a bare 12-digit account id. */
const accountOf = (arnOrAccount: string): string =>
  /^\d{12}$/.test(arnOrAccount) ? arnOrAccount : (/^arn:aws:[a-z]+::(\d{12}):/.exec(arnOrAccount)?.[1] ?? '');

/**
 * `ResourcePolicy`: a resource-based policy (e.g. a bucket policy) evaluated beside the identity
 * policies, for the caller `CallerArn`. UNVERIFIED: AWS takes only an IAM user ARN as
 * `CallerArn`; here a role, assumed-role session or root ARN is accepted too, and matched
 * statements of it are labelled `SourcePolicyType` "Resource Policy".
 */
function readResourcePolicy(params: QueryParams): PolicySource | undefined {
  const document = params.get('ResourcePolicy');
  if (document === undefined) return undefined;
  try {
    parsePolicy(document);
  } catch (err) {
    if (err instanceof PolicyError) throw malformedPolicy(err.message);
    throw err;
  }
  return { id: 'ResourcePolicy', type: 'Resource Policy', document };
}

const statementShape = (m: MatchedStatement) => ({
  SourcePolicyId: m.sourcePolicyId,
  SourcePolicyType: m.sourcePolicyType,
  StartPosition: { Line: m.startPosition.line, Column: m.startPosition.column },
  EndPosition: { Line: m.endPosition.line, Column: m.endPosition.column },
});

/**
 * Evaluates the identity policies of a role, a group, or a user and its groups (plus any `PolicyInputList`) with the same engine that
 * authorizes requests: one result per action and resource. Statement positions are 1-based,
 * from the statement's `{` to just past its `}` (matches a response captured from IAM).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
 */
export async function simulatePrincipalPolicy({ model, params }: HandlerInput) {
  const source = required(params, 'PolicySourceArn');
  const actions = memberList(params, 'ActionNames');
  if (!actions.length) required(params, 'ActionNames');
  if (!model.principalExists(source)) {
    if (!source.startsWith('arn:')) throw validationError(`ARN ${source} is not valid.`);
    throw noSuchSource(source);
  }
  const extra = memberList(params, 'PolicyInputList').map((document, i): PolicySource => {
    validateIdentityPolicy(document);
    return { id: `PolicyInputList.${i + 1}`, type: IDENTITY_POLICY_TYPE, document };
  });
  const resourcePolicy = readResourcePolicy(params);
  const caller = params.get('CallerArn') ?? source;
  const resourceOwner = accountOf(params.get('ResourceOwner') ?? caller);
  const resources = memberList(params, 'ResourceArns');
  const context = readContext(params);
  const results = actions.flatMap((action) =>
    (resources.length ? resources : ['*']).map((resource) => {
      const evaluation = resourcePolicy
        ? evaluateCombined({
            action,
            resource,
            context,
            caller: {
              kind: 'identity',
              principal: { arn: caller, account: accountOf(caller) },
              account: accountOf(caller),
            },
            identityPolicies: [...model.identitySources(source), ...extra],
            resourcePolicy,
            resourceOwner,
          })
        : model.simulate(source, { action, resource, context }, extra);
      const matched = members(evaluation.matchedStatements.map(statementShape));
      const missing = members(evaluation.missingContextValues);
      return {
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: evaluation.decision,
        MatchedStatements: matched,
        MissingContextValues: missing,
        EvalDecisionDetails: '',
        OrganizationsDecisionDetail: { AllowedByOrganizations: true },
        ResourceSpecificResults: members([
          {
            EvalResourceName: resource,
            EvalResourceDecision: evaluation.decision,
            MatchedStatements: matched,
            MissingContextValues: missing,
          },
        ]),
      };
    }),
  );
  const { page, ...more } = paginate(results, params);
  return { EvaluationResults: members(page), ...more };
}
