import { describe, expect, it } from 'vitest';
import { evaluatePolicies, evaluateResourcePolicy, type Decision } from './policy-engine.ts';

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

describe('identity policy evaluation', () => {
  const cases: Array<[string, string, string, string, Decision]> = [
    [
      'no statement matches → implicit deny',
      policy(allow('s3:GetObject', '*')),
      's3:PutObject',
      `${BUCKET}/a`,
      'implicitDeny',
    ],
    [
      'exact action',
      policy(allow('s3:PutObject', `${BUCKET}/*`)),
      's3:PutObject',
      `${BUCKET}/incoming/a.png`,
      'allowed',
    ],
    [
      'action case-insensitive',
      policy(allow('S3:putobject', `${BUCKET}/*`)),
      's3:PutObject',
      `${BUCKET}/a`,
      'allowed',
    ],
    ['action * wildcard', policy(allow('s3:Put*', '*')), 's3:PutObjectAcl', `${BUCKET}/a`, 'allowed'],
    ['action ? wildcard', policy(allow('s3:?etObject', '*')), 's3:GetObject', `${BUCKET}/a`, 'allowed'],
    [
      'action ? needs one char',
      policy(allow('s3:?GetObject', '*')),
      's3:GetObject',
      `${BUCKET}/a`,
      'implicitDeny',
    ],
    [
      'service prefix must match',
      policy(allow('s3:*', '*')),
      'lambda:InvokeFunction',
      'arn:x',
      'implicitDeny',
    ],
    [
      'resource * crosses / and :',
      policy(allow('s3:PutObject', 'arn:aws:s3:::*')),
      's3:PutObject',
      `${BUCKET}/a/b:c`,
      'allowed',
    ],
    [
      'resource case-sensitive',
      policy(allow('s3:PutObject', `${BUCKET}/Incoming/*`)),
      's3:PutObject',
      `${BUCKET}/incoming/a`,
      'implicitDeny',
    ],
    [
      'resource prefix scoping',
      policy(allow('s3:PutObject', `${BUCKET}/incoming/*`)),
      's3:PutObject',
      `${BUCKET}/other/a`,
      'implicitDeny',
    ],
    [
      'resource ? wildcard',
      policy(allow('s3:PutObject', `${BUCKET}/a?c`)),
      's3:PutObject',
      `${BUCKET}/abc`,
      'allowed',
    ],
    [
      'bucket-ARN-only grant does not allow object PUT',
      policy(allow('s3:PutObject', BUCKET)),
      's3:PutObject',
      `${BUCKET}/incoming/a`,
      'implicitDeny',
    ],
    [
      'action list',
      policy(allow(['s3:GetObject', 's3:PutObject'], '*')),
      's3:PutObject',
      `${BUCKET}/a`,
      'allowed',
    ],
    [
      'resource list',
      policy(allow('s3:PutObject', ['arn:aws:s3:::x/*', `${BUCKET}/*`])),
      's3:PutObject',
      `${BUCKET}/a`,
      'allowed',
    ],
    [
      'Statement as a single object',
      JSON.stringify({ Statement: allow('s3:*', '*') }),
      's3:PutObject',
      `${BUCKET}/a`,
      'allowed',
    ],
    [
      'NotAction allows others',
      policy({ Effect: 'Allow', NotAction: 's3:DeleteObject', Resource: '*' }),
      's3:PutObject',
      `${BUCKET}/a`,
      'allowed',
    ],
    [
      'NotAction excludes listed',
      policy({ Effect: 'Allow', NotAction: 's3:Put*', Resource: '*' }),
      's3:PutObject',
      `${BUCKET}/a`,
      'implicitDeny',
    ],
    [
      'NotResource allows others',
      policy({ Effect: 'Allow', Action: 's3:*', NotResource: `${BUCKET}/secret/*` }),
      's3:PutObject',
      `${BUCKET}/a`,
      'allowed',
    ],
    [
      'NotResource excludes listed',
      policy({ Effect: 'Allow', Action: 's3:*', NotResource: `${BUCKET}/secret/*` }),
      's3:PutObject',
      `${BUCKET}/secret/a`,
      'implicitDeny',
    ],
    [
      'explicit deny wins',
      policy(allow('s3:*', '*'), { Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }),
      's3:PutObject',
      `${BUCKET}/a`,
      'explicitDeny',
    ],
    [
      'deny elsewhere does not matter',
      policy(allow('s3:*', '*'), { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }),
      's3:PutObject',
      `${BUCKET}/a`,
      'allowed',
    ],
    [
      'Effect is case-sensitive',
      JSON.stringify({ Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }),
      's3:PutObject',
      `${BUCKET}/a`,
      'implicitDeny',
    ],
  ];
  it.each(cases)('%s', (_name, doc, action, resource, expected) => {
    expect(decide(doc, action, resource)).toBe(expected);
  });

  it('denies across policies: a Deny in one policy beats an Allow in another', () => {
    const result = evaluatePolicies(
      [
        { id: 'allow-all', type: 'IAM Policy', document: policy(allow('*', '*')) },
        {
          id: 'no-put',
          type: 'IAM Policy',
          document: policy({ Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }),
        },
      ],
      { action: 's3:PutObject', resource: `${BUCKET}/a` },
    );
    expect(result.decision).toBe('explicitDeny');
    expect(result.matchedStatements.map((m) => m.sourcePolicyId)).toEqual(['no-put']);
  });
});

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

describe('statement positions', () => {
  it('points at the statement object in the original text (1-based line and column)', () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"},\n    {\n      "Effect": "Allow",\n      "Action": "s3:*",\n      "Resource": "*"\n    }\n  ]\n}';
    const result = evaluatePolicies([{ id: 'named', type: 'IAM Policy', document: text }], {
      action: 's3:PutObject',
      resource: `${BUCKET}/a`,
    });
    expect(result.matchedStatements).toEqual([
      {
        sourcePolicyId: 'named',
        sourcePolicyType: 'IAM Policy',
        startPosition: { line: 5, column: 5 },
        endPosition: { line: 9, column: 6 },
      },
    ]);
  });
});

describe('resource and trust policies', () => {
  const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:upload-ticket';
  const apiArn = 'arn:aws:execute-api:us-east-1:000000000000:abc123/$default/POST/upload-url';
  const lambdaPolicy = JSON.stringify({
    Version: '2012-10-17',
    Id: 'default',
    Statement: [
      {
        Sid: 'apigw',
        Effect: 'Allow',
        Principal: { Service: 'apigateway.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: fnArn,
        Condition: {
          ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/*/upload-url' },
        },
      },
    ],
  });
  const invoke = (principal: object, context: Record<string, string>) =>
    evaluateResourcePolicy(lambdaPolicy, {
      principal,
      action: 'lambda:InvokeFunction',
      resource: fnArn,
      context,
    });

  it('allows the named service from the matching source', () => {
    expect(invoke({ service: 'apigateway.amazonaws.com' }, { 'aws:SourceArn': apiArn })).toBe('allowed');
  });
  it('refuses another service, another source, or no source', () => {
    expect(invoke({ service: 's3.amazonaws.com' }, { 'aws:SourceArn': apiArn })).toBe('implicitDeny');
    expect(
      invoke(
        { service: 'apigateway.amazonaws.com' },
        { 'aws:SourceArn': apiArn.replace('upload-url', 'files') },
      ),
    ).toBe('implicitDeny');
    expect(invoke({ service: 'apigateway.amazonaws.com' }, {})).toBe('implicitDeny');
  });
  it('refuses an AWS identity when only a service is named', () => {
    expect(
      invoke({ arn: 'arn:aws:iam::000000000000:root', account: '000000000000' }, { 'aws:SourceArn': apiArn }),
    ).toBe('implicitDeny');
  });

  const trust = (principal: unknown) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
    });
  const assume = (doc: string, who: object) =>
    evaluateResourcePolicy(doc, {
      principal: who,
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::000000000000:role/r',
    });
  const root = { arn: 'arn:aws:iam::000000000000:root', account: '000000000000' };
  const session = { arn: 'arn:aws:sts::000000000000:assumed-role/caller/s1', account: '000000000000' };

  it.each([
    [
      'service principal, service caller',
      { Service: 'lambda.amazonaws.com' },
      { service: 'lambda.amazonaws.com' },
      'allowed',
    ],
    ['service principal, root caller', { Service: 'lambda.amazonaws.com' }, root, 'implicitDeny'],
    ['account root ARN, root caller', { AWS: 'arn:aws:iam::000000000000:root' }, root, 'allowed'],
    ['account id, root caller', { AWS: '000000000000' }, root, 'allowed'],
    ['account id, session caller of that account', { AWS: '000000000000' }, session, 'allowed'],
    ['other account', { AWS: '111111111111' }, root, 'implicitDeny'],
    ['AWS *', { AWS: '*' }, root, 'allowed'],
    ['bare *', '*', { service: 'lambda.amazonaws.com' }, 'allowed'],
    ['role ARN names its sessions', { AWS: 'arn:aws:iam::000000000000:role/caller' }, session, 'allowed'],
    [
      'role ARN does not name other roles',
      { AWS: 'arn:aws:iam::000000000000:role/other' },
      session,
      'implicitDeny',
    ],
  ])('%s', (_name, principal, who, expected) => {
    expect(assume(trust(principal), who)).toBe(expected);
  });

  it('a policy that does not parse allows nothing', () => {
    expect(assume('{not json', root)).toBe('implicitDeny');
  });
});
