import type { ConditionClause } from './policy-document.ts';
import { BlockList, isIP } from 'node:net';
import { arnMatch, wildcardMatch } from './wildcard.ts';

/** Request context keys, looked up case-insensitively (`AWS:SourceArn` = `aws:SourceArn`). */
export type RequestContextValues = Record<string, string | string[] | undefined>;

export interface ConditionOutcome {
  /** Every clause holds. */
  holds: boolean;
  /** A clause uses an operator we do not implement: the statement must not apply. */
  unsupported: boolean;
  /** Keys a positive operator needed but the request did not carry. */
  missing: string[];
}

type Matcher = (policyValue: string, contextValue: string) => boolean;

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
const date = (s: string) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));
const numeric = (cmp: (a: number, b: number) => boolean, parse: (s: string) => number): Matcher => {
  return (p, c) => {
    const [a, b] = [parse(c), parse(p)];
    return !Number.isNaN(a) && !Number.isNaN(b) && cmp(a, b);
  };
};

/** Base operators, without `Not`, `IfExists` or set prefixes. `negated` flips the result. */
const OPERATORS: Record<string, { match: Matcher; negated: boolean }> = {};
const define = (name: string, match: Matcher, negatedName?: string) => {
  OPERATORS[name] = { match, negated: false };
  if (negatedName) OPERATORS[negatedName] = { match, negated: true };
};
define('StringEquals', (p, c) => p === c, 'StringNotEquals');
define('StringEqualsIgnoreCase', (p, c) => p.toLowerCase() === c.toLowerCase(), 'StringNotEqualsIgnoreCase');
define('StringLike', (p, c) => wildcardMatch(p, c), 'StringNotLike');
define('ArnEquals', arnMatch, 'ArnNotEquals');
define('ArnLike', arnMatch, 'ArnNotLike');
define('Bool', (p, c) => p.toLowerCase() === c.toLowerCase());
define('BinaryEquals', (p, c) => p === c);
define('IpAddress', ipInRange, 'NotIpAddress');
define(
  'NumericEquals',
  numeric((a, b) => a === b, num),
  'NumericNotEquals',
);
define(
  'NumericLessThan',
  numeric((a, b) => a < b, num),
);
define(
  'NumericLessThanEquals',
  numeric((a, b) => a <= b, num),
);
define(
  'NumericGreaterThan',
  numeric((a, b) => a > b, num),
);
define(
  'NumericGreaterThanEquals',
  numeric((a, b) => a >= b, num),
);
define(
  'DateEquals',
  numeric((a, b) => a === b, date),
  'DateNotEquals',
);
define(
  'DateLessThan',
  numeric((a, b) => a < b, date),
);
define(
  'DateLessThanEquals',
  numeric((a, b) => a <= b, date),
);
define(
  'DateGreaterThan',
  numeric((a, b) => a > b, date),
);
define(
  'DateGreaterThanEquals',
  numeric((a, b) => a >= b, date),
);

/** `aws:SourceIp` against a CIDR (`203.0.113.0/24`) or a single address, IPv4 or IPv6. */
function ipInRange(range: string, address: string): boolean {
  const [net, bits] = range.split('/');
  const family = isIP(net ?? '');
  const own = isIP(address);
  if (!family || family !== own) return false;
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(net!, prefix, type);
  return list.check(address, type);
}

/** Whether IAM's evaluator knows the operator (with any prefix or `IfExists`). */
export function isSupportedOperator(operator: string): boolean {
  const { base } = splitOperator(operator);
  return base === 'Null' || base in OPERATORS;
}

function splitOperator(operator: string): { set?: 'any' | 'all'; base: string; ifExists: boolean } {
  let rest = operator;
  let set: 'any' | 'all' | undefined;
  if (rest.startsWith('ForAnyValue:')) [set, rest] = ['any', rest.slice('ForAnyValue:'.length)];
  else if (rest.startsWith('ForAllValues:')) [set, rest] = ['all', rest.slice('ForAllValues:'.length)];
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  return { ...(set ? { set } : {}), base: rest, ifExists };
}

/**
 * Evaluates a statement's conditions: clauses (operators and keys) are ANDed, the values of one
 * clause ORed. A missing key fails a positive operator and satisfies a negated one or an
 * `…IfExists` one. `ForAnyValue:`/`ForAllValues:` compare multi-valued keys.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
export function evaluateConditions(
  clauses: ConditionClause[],
  context: RequestContextValues,
): ConditionOutcome {
  const lookup = new Map<string, string[]>();
  for (const [k, v] of Object.entries(context))
    if (v !== undefined) lookup.set(k.toLowerCase(), Array.isArray(v) ? v : [v]);
  const outcome: ConditionOutcome = { holds: true, unsupported: false, missing: [] };
  for (const clause of clauses) {
    const { set, base, ifExists } = splitOperator(clause.operator);
    const present = lookup.get(clause.key.toLowerCase());
    let holds: boolean;
    if (base === 'Null') {
      const wantAbsent = clause.values.some((v) => v.toLowerCase() === 'true');
      holds = wantAbsent === (present === undefined || present.length === 0);
    } else {
      const op = OPERATORS[base];
      if (!op) {
        outcome.unsupported = true;
        outcome.holds = false;
        continue;
      }
      const matchesAny = (c: string) => clause.values.some((p) => op.match(p, c));
      if (present === undefined || present.length === 0) {
        holds = set === 'all' || ifExists || (op.negated && set !== 'any');
        if (!holds) outcome.missing.push(clause.key);
      } else if (set === 'all') holds = present.every((c) => matchesAny(c) !== op.negated);
      else if (set === 'any') holds = present.some((c) => matchesAny(c) !== op.negated);
      else holds = present.some(matchesAny) !== op.negated;
    }
    if (!holds) outcome.holds = false;
  }
  return outcome;
}
