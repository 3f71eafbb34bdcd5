import { globMatch } from './arn.ts';

/** One statement of an identity policy, as IAM stores it. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, unknown>;
}

export interface PolicyDocument {
  /** Where it came from: `inline:<name>` or the managed policy's ARN. */
  source: string;
  statements: Statement[];
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** IAM action match: `service:Name`, case-insensitive, `*` and `?` wildcards. */
export function actionMatches(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined)
    return !asList(statement.NotAction).some((a) => globMatch(a, action, true));
  return asList(statement.Action).some((a) => globMatch(a, action, true));
}

/** IAM resource match: case-sensitive, `*` and `?` wildcards (a `*` spans `/`). */
export function resourceMatches(statement: Statement, resource: string): boolean {
  if (statement.NotResource !== undefined)
    return !asList(statement.NotResource).some((r) => globMatch(r, resource));
  return asList(statement.Resource).some((r) => globMatch(r, resource));
}

/**
 * The identity-policy part of IAM's evaluation logic: an explicit Deny wins, else an Allow allows,
 * else the default deny (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * Conditions are not evaluated: a statement with one is taken as applying.
 */
export function evaluate(
  policies: readonly PolicyDocument[],
  action: string,
  resource: string,
): {
  decision: Decision;
  matched: { source: string; statement: Statement }[];
} {
  const applying = policies.flatMap((p) =>
    p.statements
      .filter((s) => actionMatches(s, action) && resourceMatches(s, resource))
      .map((statement) => ({ source: p.source, statement })),
  );
  const denies = applying.filter((m) => m.statement.Effect === 'Deny');
  if (denies.length > 0) return { decision: 'explicitDeny', matched: denies };
  const allows = applying.filter((m) => m.statement.Effect === 'Allow');
  return { decision: allows.length > 0 ? 'allowed' : 'implicitDeny', matched: allows };
}

/** The resources on which some Allow statement grants `action`. */
export function allowedResources(policies: readonly PolicyDocument[], action: string): string[] {
  return [
    ...new Set(
      policies.flatMap((p) =>
        p.statements
          .filter((s) => s.Effect === 'Allow' && actionMatches(s, action))
          .flatMap((s) => asList(s.Resource)),
      ),
    ),
  ];
}

/** A policy document as IAM returns it: JSON, URL-encoded by the query API. */
export function parsePolicyDocument(source: string, text: string): PolicyDocument {
  const json = text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
  const doc = JSON.parse(json) as { Statement?: Statement | Statement[] };
  const statements =
    doc.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return { source, statements };
}
