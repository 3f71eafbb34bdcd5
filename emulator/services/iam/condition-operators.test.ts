import { describe, expect, it } from 'vitest';
import { evaluatePolicies, type Decision } from './policy-engine.ts';

const BUCKET = 'arn:aws:s3:::lab-bucket';
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: unknown, resource: unknown, extra: object = {}) => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});
const decide = (
  doc: string,
  action: string,
  resource: string,
  context: Record<string, string> = {},
): Decision =>
  evaluatePolicies([{ id: 'p', type: 'IAM Policy', document: doc }], { action, resource, context }).decision;

describe('conditions', () => {
  const src = 'arn:aws:execute-api:us-east-1:000000000000:abc123/$default/POST/upload-url';
  const withCond = (condition: object) => policy(allow('s3:PutObject', '*', { Condition: condition }));
  const cases: Array<[string, object, Record<string, string>, Decision]> = [
    [
      'StringEquals match',
      { StringEquals: { 'aws:SourceAccount': '000000000000' } },
      { 'aws:SourceAccount': '000000000000' },
      'allowed',
    ],
    [
      'IpAddress in CIDR',
      { IpAddress: { 'aws:SourceIp': '10.1.0.0/16' } },
      { 'aws:SourceIp': '10.1.2.3' },
      'allowed',
    ],
    [
      'IpAddress outside CIDR',
      { IpAddress: { 'aws:SourceIp': '10.1.0.0/16' } },
      { 'aws:SourceIp': '10.2.0.1' },
      'implicitDeny',
    ],
    [
      'IpAddress single address',
      { IpAddress: { 'aws:SourceIp': '127.0.0.1' } },
      { 'aws:SourceIp': '127.0.0.1' },
      'allowed',
    ],
    [
      'IpAddress IPv6',
      { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } },
      { 'aws:SourceIp': '2001:db8::1' },
      'allowed',
    ],
    [
      'IpAddress IPv4 range, IPv6 caller',
      { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
      { 'aws:SourceIp': '::1' },
      'implicitDeny',
    ],
    [
      'IpAddress malformed range',
      { IpAddress: { 'aws:SourceIp': '10.0.0.0/99' } },
      { 'aws:SourceIp': '10.0.0.1' },
      'implicitDeny',
    ],
    [
      'NotIpAddress outside',
      { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      { 'aws:SourceIp': '10.0.0.1' },
      'allowed',
    ],
    [
      'NotIpAddress inside',
      { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      { 'aws:SourceIp': '203.0.113.9' },
      'implicitDeny',
    ],
    [
      'StringEquals mismatch',
      { StringEquals: { 'aws:SourceAccount': '000000000000' } },
      { 'aws:SourceAccount': '111111111111' },
      'implicitDeny',
    ],
    [
      'keys are case-insensitive',
      { StringEquals: { 'AWS:SourceAccount': '000000000000' } },
      { 'aws:sourceaccount': '000000000000' },
      'allowed',
    ],
    [
      'StringEquals values are case-sensitive',
      { StringEquals: { 'aws:x': 'Abc' } },
      { 'aws:x': 'abc' },
      'implicitDeny',
    ],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:x': 'Abc' } }, { 'aws:x': 'abc' }, 'allowed'],
    [
      'values are ORed',
      { StringEquals: { 'aws:SourceAccount': ['1', '000000000000'] } },
      { 'aws:SourceAccount': '000000000000' },
      'allowed',
    ],
    [
      'keys are ANDed',
      { StringEquals: { 'aws:a': '1', 'aws:b': '2' } },
      { 'aws:a': '1', 'aws:b': '3' },
      'implicitDeny',
    ],
    [
      'operators are ANDed',
      { StringEquals: { 'aws:a': '1' }, StringLike: { 'aws:b': 'x*' } },
      { 'aws:a': '1', 'aws:b': 'y' },
      'implicitDeny',
    ],
    [
      'missing key fails a positive operator',
      { StringEquals: { 'aws:SourceAccount': '000000000000' } },
      {},
      'implicitDeny',
    ],
    [
      'missing key passes a negated operator',
      { StringNotEquals: { 'aws:SourceAccount': '1' } },
      {},
      'allowed',
    ],
    ['IfExists passes when missing', { StringEqualsIfExists: { 'aws:SourceAccount': '1' } }, {}, 'allowed'],
    [
      'IfExists still checks when present',
      { StringEqualsIfExists: { 'aws:SourceAccount': '1' } },
      { 'aws:SourceAccount': '2' },
      'implicitDeny',
    ],
    ['StringNotEquals', { StringNotEquals: { 'aws:a': '1' } }, { 'aws:a': '1' }, 'implicitDeny'],
    ['StringLike', { StringLike: { 'aws:a': 'incoming/*' } }, { 'aws:a': 'incoming/x.png' }, 'allowed'],
    [
      'StringNotLike',
      { StringNotLike: { 'aws:a': 'incoming/*' } },
      { 'aws:a': 'incoming/x.png' },
      'implicitDeny',
    ],
    [
      'ArnLike per-segment',
      { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/*/upload-url' } },
      { 'aws:SourceArn': src },
      'allowed',
    ],
    [
      'ArnLike wrong api',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:zzz/*' } },
      { 'aws:SourceArn': src },
      'implicitDeny',
    ],
    [
      'ArnLike * does not cross segments',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:*:abc123/*' } },
      { 'aws:SourceArn': src },
      'implicitDeny',
    ],
    ['ArnEquals exact', { ArnEquals: { 'aws:SourceArn': src } }, { 'aws:SourceArn': src }, 'allowed'],
    ['ArnNotEquals', { ArnNotEquals: { 'aws:SourceArn': src } }, { 'aws:SourceArn': src }, 'implicitDeny'],
    [
      'ArnLike on a non-ARN value',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::b' } },
      { 'aws:SourceArn': 'b' },
      'implicitDeny',
    ],
    ['Bool', { Bool: { 'aws:SecureTransport': false } }, { 'aws:SecureTransport': 'false' }, 'allowed'],
    [
      'NumericLessThanEquals',
      { NumericLessThanEquals: { 's3:max-keys': '10' } },
      { 's3:max-keys': '11' },
      'implicitDeny',
    ],
    ['Null true when absent', { Null: { 'aws:TokenIssueTime': 'true' } }, {}, 'allowed'],
    ['unknown operator never grants', { StringEqualz: { 'aws:a': '1' } }, { 'aws:a': '1' }, 'implicitDeny'],
    [
      'unknown operator with IfExists never grants',
      { FancyMatchIfExists: { 'aws:a': '1' } },
      {},
      'implicitDeny',
    ],
  ];
  it.each(cases)('%s', (_name, condition, context, expected) => {
    expect(decide(withCond(condition), 's3:PutObject', `${BUCKET}/a`, context)).toBe(expected);
  });

  it('an unknown operator in a Deny still denies (fails closed)', () => {
    const doc = policy(allow('*', '*'), {
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { Weird: { 'aws:a': '1' } },
    });
    expect(decide(doc, 's3:PutObject', `${BUCKET}/a`)).toBe('explicitDeny');
  });

  it('reports the condition keys it needed and did not get', () => {
    const result = evaluatePolicies(
      [{ id: 'p', type: 'IAM Policy', document: withCond({ StringEquals: { 'aws:SourceAccount': '1' } }) }],
      { action: 's3:PutObject', resource: `${BUCKET}/a` },
    );
    expect(result).toMatchObject({ decision: 'implicitDeny', missingContextValues: ['aws:SourceAccount'] });
  });
});
