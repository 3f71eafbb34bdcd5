import { JsonSyntaxError, parseJsonWithPositions, type Span } from './json-positions.ts';

/** Who a resource or trust policy statement names. `*` alone is `any`. */
export interface PrincipalSpec {
  any: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

/** One condition: `{"StringEquals": {"aws:SourceAccount": ["1", "2"]}}` → one clause per key. */
export interface ConditionClause {
  operator: string;
  key: string;
  values: string[];
}

export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  conditions: ConditionClause[];
  /** Where the statement object sits in the policy text. */
  span: Span;
}

export interface ParsedPolicy {
  version?: string;
  statements: PolicyStatement[];
}

/** A policy IAM refuses; `message` is AWS's `MalformedPolicyDocument` text. */
export class PolicyError extends Error {}

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);

/**
 * Reads a policy document: `Statement` as one object or an array, each element as a string or
 * an array of strings. Structure errors become `PolicyError` with IAM's wording; whether a
 * document suits its use (identity vs trust) is `validatePolicy`'s job.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export function parsePolicy(text: string): ParsedPolicy {
  let parsed;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new PolicyError('This policy contains invalid Json');
    throw err;
  }
  const doc = parsed.value;
  if (!isObject(doc)) throw new PolicyError('This policy contains invalid Json');
  const version = doc['Version'];
  if (version !== undefined && typeof version !== 'string') throw new PolicyError('Syntax errors in policy.');
  const raw = doc['Statement'];
  if (raw === undefined) throw new PolicyError('Syntax errors in policy.');
  const list = Array.isArray(raw) ? raw : [raw];
  const statements = list.map((s) => {
    if (!isObject(s)) throw new PolicyError('Syntax errors in policy.');
    return readStatement(s, parsed.spans.get(s)!);
  });
  return { ...(version === undefined ? {} : { version }), statements };
}

function readStatement(s: Record<string, unknown>, span: Span): PolicyStatement {
  for (const key of Object.keys(s))
    if (!STATEMENT_KEYS.has(key)) throw new PolicyError('Syntax errors in policy.');
  const effect = s['Effect'];
  if (effect === undefined) throw new PolicyError('Policy statement must contain effect');
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyError(`Invalid effect: ${String(effect)}`);
  const out: PolicyStatement = { effect, conditions: readConditions(s['Condition']), span };
  if (typeof s['Sid'] === 'string') out.sid = s['Sid'];
  const lists = [
    ['Action', 'actions'],
    ['NotAction', 'notActions'],
    ['Resource', 'resources'],
    ['NotResource', 'notResources'],
  ] as const;
  for (const [name, field] of lists) if (s[name] !== undefined) out[field] = stringList(s[name]);
  if (s['Principal'] !== undefined) out.principal = readPrincipal(s['Principal']);
  if (s['NotPrincipal'] !== undefined) out.notPrincipal = readPrincipal(s['NotPrincipal']);
  return out;
}

function readConditions(raw: unknown): ConditionClause[] {
  if (raw === undefined) return [];
  if (!isObject(raw)) throw new PolicyError('Syntax errors in policy.');
  const out: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(raw)) {
    if (!isObject(block)) throw new PolicyError('Syntax errors in policy.');
    for (const [key, values] of Object.entries(block))
      out.push({ operator, key, values: conditionValues(values) });
  }
  return out;
}

/** Condition values may be strings, numbers or booleans (`"Bool": {"aws:SecureTransport": false}`). */
function conditionValues(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new PolicyError('Syntax errors in policy.');
  });
}

function readPrincipal(raw: unknown): PrincipalSpec {
  const spec: PrincipalSpec = { any: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (raw === '*') return { ...spec, any: true };
  if (!isObject(raw)) throw new PolicyError('Syntax errors in policy.');
  for (const [kind, value] of Object.entries(raw)) {
    const values = stringList(value);
    if (kind === 'AWS') spec.aws.push(...values);
    else if (kind === 'Service') spec.service.push(...values);
    else if (kind === 'Federated') spec.federated.push(...values);
    else if (kind === 'CanonicalUser') spec.canonicalUser.push(...values);
    else throw new PolicyError(`Invalid principal in policy: "${kind}":${JSON.stringify(value)}`);
  }
  return spec;
}

function stringList(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.every((v): v is string => typeof v === 'string'))
    throw new PolicyError('Syntax errors in policy.');
  return list;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
