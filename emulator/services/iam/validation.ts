import { AwsError } from '../../core/aws-error.ts';
import { parsePolicy, PolicyError, type ParsedPolicy } from './policy-document.ts';

/** IAM's `ValidationError`, worded the way its input validation words it. */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, { status: 400 });
}

export function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', message, { status: 400 });
}

/** Reads a required parameter, or answers AWS's "must not be null". `field` is the camelCase member name. */
export function required(params: Map<string, string>, name: string): string {
  const value = params.get(name);
  if (value === undefined) {
    const field = name[0]!.toLowerCase() + name.slice(1);
    throw validationError(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** Checks a string member's pattern and length, with IAM's message. */
export function checkMember(
  value: string,
  field: string,
  pattern: RegExp,
  source: string,
  max: number,
  min = 1,
): void {
  if (value.length > max)
    throw validationError(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  if (value.length < min)
    throw validationError(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`,
    );
  if (!pattern.test(value))
    throw validationError(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${source}`,
    );
}

export const NAME = /^[\w+=,.@-]+$/;
export const PATH = /^(?:\/|\/[\u0021-\u007e]+\/)$/;

export const checkRoleName = (v: string) => checkMember(v, 'roleName', NAME, '[\\w+=,.@-]+', 64);
export const checkPolicyName = (v: string) => checkMember(v, 'policyName', NAME, '[\\w+=,.@-]+', 128);
export const checkPath = (v: string) =>
  checkMember(v, 'path', PATH, '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)', 512);

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

function parseForIam(text: string): ParsedPolicy {
  try {
    return parsePolicy(text);
  } catch (err) {
    if (err instanceof PolicyError) throw malformedPolicy(err.message);
    throw err;
  }
}

function checkCommon(policy: ParsedPolicy): void {
  if (policy.version !== undefined && !VERSIONS.has(policy.version))
    throw malformedPolicy('The policy must contain a valid version string');
  for (const s of policy.statements) {
    for (const action of [...(s.actions ?? []), ...(s.notActions ?? [])])
      if (action !== '*' && !/^[A-Za-z0-9*?-]+:/.test(action))
        throw malformedPolicy('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    // Condition operators are not checked here: one the engine does not know is stored as
    // written and never grants (see policy-engine.ts).
  }
}

/**
 * An identity policy (inline or managed): no Principal; every statement has an action and a
 * resource. Wording from IAM's `MalformedPolicyDocument` answers; the resource message is [UNVERIFIED].
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export function validateIdentityPolicy(text: string): void {
  const policy = parseForIam(text);
  checkCommon(policy);
  for (const s of policy.statements) {
    if (s.principal || s.notPrincipal)
      throw malformedPolicy('Policy document should not specify a principal.');
    if (!s.actions && !s.notActions) throw malformedPolicy('Policy statement must contain actions.');
    if (!s.resources && !s.notResources) throw malformedPolicy('Policy statement must contain resources.');
    for (const r of [...(s.resources ?? []), ...(s.notResources ?? [])])
      if (r !== '*' && !r.startsWith('arn:'))
        throw malformedPolicy(`Resource ${r} must be in ARN format or "*".`);
  }
}

const TRUST_ACTION =
  /^sts:(\*|AssumeRole\*?|AssumeRoleWithSAML|AssumeRoleWithWebIdentity|TagSession|SetSourceIdentity|SetContext)$/i;

/**
 * A role's trust policy: Principal required, no Resource, only STS AssumeRole-family actions.
 * Messages recorded from IAM (LocalStack snapshot `test_update_assume_role_policy_errors`).
 */
export function validateTrustPolicy(text: string): void {
  const policy = parseForIam(text);
  checkCommon(policy);
  for (const s of policy.statements) {
    if (s.resources || s.notResources) throw malformedPolicy('Has prohibited field Resource');
    if (!s.actions && !s.notActions) throw malformedPolicy('Policy statement must contain actions.');
    if (!(s.actions ?? s.notActions ?? []).every((a) => TRUST_ACTION.test(a)))
      throw malformedPolicy('AssumeRole policy may only specify STS AssumeRole actions.');
    const principal = s.principal ?? s.notPrincipal;
    if (!principal) throw malformedPolicy('Missing required field Principal');
    for (const aws of principal.aws)
      if (aws !== '*' && !/^\d{12}$/.test(aws) && !/^arn:aws:(iam|sts)::\d{12}:/.test(aws))
        throw malformedPolicy(`Invalid principal in policy: "AWS":"${aws}"`);
  }
}

/** Tags: at most 50, keys unique ignoring case, lengths and characters as IAM checks them. */
export function checkTags(tags: Array<{ Key: string; Value: string }>): void {
  if (tags.length > 50)
    throw validationError(
      `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  const seen = new Set<string>();
  const chars = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
  tags.forEach((t, i) => {
    const at = `tags.${i + 1}.member`;
    if (t.Key.length > 128 || t.Key.length < 1)
      throw validationError(
        `1 validation error detected: Value at '${at}.key' failed to satisfy constraint: Member must have length less than or equal to 128`,
      );
    if (t.Value.length > 256)
      throw validationError(
        `1 validation error detected: Value at '${at}.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
      );
    if (!chars.test(t.Key))
      throw validationError(
        `1 validation error detected: Value at '${at}.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`,
      );
    const lower = t.Key.toLowerCase();
    if (seen.has(lower))
      throw new AwsError(
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
        { status: 400 },
      );
    seen.add(lower);
  });
}
