import { ACCOUNT_ID } from '../../auth/principal.ts';
import { evaluateResourcePolicy, type RequestPrincipal } from '../iam/policy-engine.ts';
import { lambdaErrors } from './errors.ts';
import type { FunctionRecord, PolicyStatementRecord } from './model.ts';

/** The members of an AddPermission request. */
export interface PermissionInput {
  StatementId?: unknown;
  Action?: unknown;
  Principal?: unknown;
  SourceArn?: unknown;
  SourceAccount?: unknown;
  PrincipalOrgID?: unknown;
  EventSourceToken?: unknown;
  FunctionUrlAuthType?: unknown;
}

const STATEMENT_ID = /^[a-zA-Z0-9-_]+$/;
const ACTION = /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/;
const SOURCE_ARN = /^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)$/;

const pattern = (value: unknown, member: string, text: string) =>
  `Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${text}`;

/**
 * The statement AddPermission adds: Principal as a service, an account's root, an IAM ARN or `*`;
 * conditions only for what was given (aws-behavior.md §5.2).
 * https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
 */
export function buildStatement(input: PermissionInput, resource: string): PolicyStatementRecord {
  const findings: string[] = [];
  const { StatementId: sid, Action: action, Principal: principal } = input;
  if (typeof sid !== 'string' || !STATEMENT_ID.test(sid) || sid.length > 100)
    findings.push(pattern(sid ?? null, 'statementId', '([a-zA-Z0-9-_]+)'));
  if (typeof action !== 'string' || !ACTION.test(action))
    findings.push(pattern(action ?? null, 'action', '(lambda:[*]|lambda:[a-zA-Z]+|[*])'));
  if (typeof principal !== 'string' || !/^[^\s]+$/.test(principal))
    findings.push(pattern(principal ?? null, 'principal', '[^\\s]+'));
  if (
    input.SourceArn !== undefined &&
    !(typeof input.SourceArn === 'string' && SOURCE_ARN.test(input.SourceArn))
  )
    findings.push(pattern(input.SourceArn, 'sourceArn', SOURCE_ARN.source.slice(1, -1)));
  if (
    input.SourceAccount !== undefined &&
    !(typeof input.SourceAccount === 'string' && /^\d{12}$/.test(input.SourceAccount))
  )
    findings.push(pattern(input.SourceAccount, 'sourceAccount', '\\d{12}'));
  if (findings.length) throw lambdaErrors.validation(findings);

  const statement: PolicyStatementRecord = {
    Sid: sid as string,
    Effect: 'Allow',
    Principal: principalOf(principal as string),
    Action: action as string,
    Resource: resource,
  };
  const stringEquals: Record<string, string> = {};
  if (typeof input.FunctionUrlAuthType === 'string')
    stringEquals['lambda:FunctionUrlAuthType'] = input.FunctionUrlAuthType;
  if (typeof input.PrincipalOrgID === 'string') stringEquals['aws:PrincipalOrgID'] = input.PrincipalOrgID;
  if (typeof input.SourceAccount === 'string') stringEquals['AWS:SourceAccount'] = input.SourceAccount;
  if (typeof input.EventSourceToken === 'string')
    stringEquals['lambda:EventSourceToken'] = input.EventSourceToken;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(stringEquals).length) condition['StringEquals'] = stringEquals;
  if (typeof input.SourceArn === 'string') condition['ArnLike'] = { 'AWS:SourceArn': input.SourceArn };
  if (Object.keys(condition).length) statement.Condition = condition;
  return statement;
}

function principalOf(principal: string): PolicyStatementRecord['Principal'] {
  if (principal === '*') return '*';
  if (principal.endsWith('.amazonaws.com')) return { Service: principal };
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (/^arn:aws[a-zA-Z-]*:iam::/.test(principal)) return { AWS: principal };
  throw lambdaErrors.invalidPrincipal();
}

/** The policy document GetPolicy returns (as a JSON string). */
export function policyDocument(statements: PolicyStatementRecord[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
}

/**
 * Whether the function's resource policy lets a service (`apigateway.amazonaws.com`,
 * `s3.amazonaws.com`) invoke it on behalf of `sourceArn` / `sourceAccount`.
 */
export function allowsServiceInvoke(
  record: FunctionRecord,
  service: string,
  sourceArn: string,
  sourceAccount = ACCOUNT_ID,
): boolean {
  if (!record.policy?.statements.length) return false;
  const principal: RequestPrincipal = { service };
  return (
    evaluateResourcePolicy(policyDocument(record.policy.statements), {
      principal,
      action: 'lambda:InvokeFunction',
      resource: record.arn,
      context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
    }) === 'allowed'
  );
}
