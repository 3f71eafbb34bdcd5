import { describe, expect, it } from 'vitest';
import { evaluateResourcePolicy } from './policy-engine.ts';

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
