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
