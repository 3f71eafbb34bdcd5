import { AwsError } from '../../../core/aws-error.ts';

/** A decoded POST policy: `{expiration, conditions}`. */
export interface PostPolicy {
  expiration: number;
  conditions: Condition[];
  /** Field names the conditions cover (lower-cased), for the extra-fields check. */
  covered: Set<string>;
}

type Condition = Record<string, unknown> | unknown[];

/** What the conditions are checked against: form fields (lower-cased names), bucket, expanded key. */
export interface PolicyInput {
  fields: Map<string, string>;
  bucket: string;
  key: string;
}

const invalidPolicy = (detail: string) =>
  new AwsError('InvalidPolicyDocument', `Invalid Policy: ${detail}`, { status: 400 });

const denied = (message: string) => new AwsError('AccessDenied', message, { status: 403 });

/** Fields no condition has to cover [DOC sigv4-HTTPPOSTConstructPolicy, HTTPPOSTForms]. */
const EXEMPT = new Set(['x-amz-signature', 'signature', 'awsaccesskeyid', 'file', 'policy']);

/** Policies decoded lately, by their base64 text: a ticket is often used more than once. */
const decoded = new Map<string, PostPolicy>();
const MAX_DECODED = 256;

/**
 * Decodes and checks the structure of a policy whose signature already verified. The texts of
 * the JSON / expiration errors are UNVERIFIED; the Simple-Condition one is recorded [REC].
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
export function decodePolicy(policyB64: string): PostPolicy {
  let policy = decoded.get(policyB64);
  if (!policy) {
    // Only a valid policy is kept (the checks below throw); callers never change it.
    policy = parsePolicy(policyB64);
    decoded.set(policyB64, policy);
    if (decoded.size > MAX_DECODED) decoded.delete(decoded.keys().next().value!);
  }
  return policy;
}

function parsePolicy(policyB64: string): PostPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = doc as Record<string, unknown>;
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  // Accepted with or without milliseconds, UTC `Z` [LS].
  const when =
    typeof expiration === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(expiration)
      ? Date.parse(expiration)
      : NaN;
  if (Number.isNaN(when)) throw invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (!Array.isArray(conditions)) throw invalidPolicy('Policy missing conditions.');
  for (const c of conditions as unknown[]) {
    if (typeof c !== 'object' || c === null) throw invalidPolicy('Invalid Condition.');
    if (!Array.isArray(c) && Object.keys(c).length !== 1)
      throw invalidPolicy(
        'Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
      );
    // A range needs its two bounds: a malformed condition, like the one above [ceph/s3-tests
    // expects 400; the message is UNVERIFIED].
    if (Array.isArray(c) && c[0] === 'content-length-range' && c.length !== 3)
      throw invalidPolicy('Invalid content-length-range: wrong number of arguments.');
  }
  return {
    expiration: when,
    conditions: conditions as Condition[],
    covered: coveredFields(conditions as Condition[]),
  };
}

/** 403 "Policy expired." [REC test_post_request_expires]. */
export function checkExpiration(policy: PostPolicy, now = Date.now()): void {
  if (now > policy.expiration) throw denied('Invalid according to Policy: Policy expired.');
}

/** A condition printed as S3 does: a JSON-ish array with `", "` separators, types kept [REC]. */
function render(condition: Condition): string {
  const list = Array.isArray(condition)
    ? condition
    : Object.entries(condition)
        .map(([k, v]) => ['eq', `$${k}`, v])
        .flat();
  return `[${list.map((v) => JSON.stringify(v)).join(', ')}]`;
}

const fieldValue = (input: PolicyInput, name: string): string | undefined =>
  name === 'bucket' ? input.bucket : name === 'key' ? input.key : input.fields.get(name);

const asSize = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0
    ? v
    : typeof v === 'string' && /^\d+$/.test(v.trim())
      ? Number(v)
      : undefined;

/**
 * Evaluates every condition but the size (known only after streaming), in order; the first
 * failure is a 403 naming it. Field names are case-insensitive, values case-sensitive; a
 * condition without the `$` fails [REC conditions_validation_eq / _starts_with]. Returns the
 * size ranges to enforce while the file streams.
 */
export function checkConditions(policy: PostPolicy, input: PolicyInput): Array<{ min: number; max: number }> {
  const ranges: Array<{ min: number; max: number }> = [];
  for (const condition of policy.conditions) {
    let ok: boolean;
    if (!Array.isArray(condition)) {
      const [name, value] = Object.entries(condition)[0]!;
      ok = fieldValue(input, name.toLowerCase()) === String(value);
    } else {
      const [op, a, b] = condition;
      const operator = String(op).toLowerCase();
      if (operator === 'content-length-range') {
        const min = asSize(a);
        const max = asSize(b);
        ok = condition.length === 3 && min !== undefined && max !== undefined;
        if (ok) ranges.push({ min: min!, max: max! });
      } else if (
        (operator === 'eq' || operator === 'starts-with') &&
        condition.length === 3 &&
        typeof a === 'string' &&
        a.startsWith('$')
      ) {
        const value = fieldValue(input, a.slice(1).toLowerCase());
        const expected = String(b);
        ok = operator === 'eq' ? value === expected : expected === '' || (value ?? '').startsWith(expected);
      } else ok = false;
    }
    if (!ok) throw denied(`Invalid according to Policy: Policy Condition failed: ${render(condition)}`);
  }
  return ranges;
}

/**
 * Every form field but the signature, policy, file and `x-ignore-*` must appear in a condition;
 * else 403 "Extra input fields: <field>" (lower-cased) [COMMUNITY waynehoover/s3_direct_upload#54].
 */
export function checkExtraFields(policy: PostPolicy, fields: Map<string, string>): void {
  for (const name of fields.keys())
    if (!EXEMPT.has(name) && !name.startsWith('x-ignore-') && !policy.covered.has(name))
      throw denied(`Invalid according to Policy: Extra input fields: ${name}`);
}

function coveredFields(conditions: Condition[]): Set<string> {
  const covered = new Set<string>();
  for (const condition of conditions) {
    if (!Array.isArray(condition)) covered.add(Object.keys(condition)[0]!.toLowerCase());
    else if (typeof condition[1] === 'string' && condition[1].startsWith('$'))
      covered.add(condition[1].slice(1).toLowerCase());
  }
  return covered;
}
