import { describe, expect, it } from 'vitest';
import { functionNameFrom, globMatch, roleNameFrom } from './arn.ts';
import { allowedResources, evaluate, parsePolicyDocument } from './iam-eval.ts';
import { allowsInvoke } from './invoke-permission.ts';
import { eventMatches } from './notification.ts';
import { policyScope } from './policy-scope.ts';
import { judgeBucketCors, s3OriginMatches } from './s3-cors.ts';

const put = (resource: string | string[], effect: 'Allow' | 'Deny' = 'Allow') =>
  parsePolicyDocument(
    'inline:put',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: effect, Action: 's3:PutObject', Resource: resource },
    }),
  );

describe('IAM evaluation (the local stand-in for SimulatePrincipalPolicy)', () => {
  const object = 'arn:aws:s3:::lab-bucket/incoming/a.txt';

  it('allows the prefix grant, and only under the prefix', () => {
    expect(evaluate([put('arn:aws:s3:::lab-bucket/incoming/*')], 's3:PutObject', object).decision).toBe(
      'allowed',
    );
    expect(
      evaluate([put('arn:aws:s3:::lab-bucket/incoming/*')], 's3:PutObject', 'arn:aws:s3:::lab-bucket/x')
        .decision,
    ).toBe('implicitDeny');
  });

  it('does not let a grant on the bucket ARN cover its objects', () => {
    expect(evaluate([put('arn:aws:s3:::lab-bucket')], 's3:PutObject', object).decision).toBe('implicitDeny');
  });

  it('matches actions case-insensitively with wildcards, resources case-sensitively', () => {
    const doc = parsePolicyDocument(
      'm',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['S3:Put*'], Resource: '*' }] }),
    );
    expect(evaluate([doc], 's3:PutObject', object).decision).toBe('allowed');
    expect(evaluate([put('arn:aws:s3:::LAB-BUCKET/*')], 's3:PutObject', object).decision).toBe(
      'implicitDeny',
    );
  });

  it('lets an explicit Deny win', () => {
    expect(
      evaluate([put('*'), put('arn:aws:s3:::lab-bucket/*', 'Deny')], 's3:PutObject', object).decision,
    ).toBe('explicitDeny');
  });

  it('reads URL-encoded documents as IAM returns them, and lists the resources granted', () => {
    const text = encodeURIComponent(
      JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: ['arn:aws:s3:::b'] }],
      }),
    );
    const doc = parsePolicyDocument('inline:x', text);
    expect(allowedResources([doc, put('arn:aws:s3:::b/uploads/*')], 's3:PutObject')).toEqual([
      'arn:aws:s3:::b',
      'arn:aws:s3:::b/uploads/*',
    ]);
  });
});

describe('ARNs and globs', () => {
  it('reads function and role names', () => {
    expect(functionNameFrom('arn:aws:lambda:us-east-1:000000000000:function:upload-lab-upload-ticket')).toBe(
      'upload-lab-upload-ticket',
    );
    expect(
      functionNameFrom(
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:fn/invocations',
      ),
    ).toBe('fn');
    expect(functionNameFrom('plain-name')).toBe('plain-name');
    expect(roleNameFrom('arn:aws:iam::000000000000:role/service/upload-lab-upload-ticket-role')).toBe(
      'upload-lab-upload-ticket-role',
    );
  });

  it('matches * and ? over the whole string', () => {
    expect(
      globMatch(
        'arn:aws:execute-api:*:*:a1/*/*/upload-url',
        'arn:aws:execute-api:us-east-1:1:a1/$default/POST/upload-url',
      ),
    ).toBe(true);
    expect(
      globMatch(
        'arn:aws:execute-api:*:*:a1/*/*/upload-url',
        'arn:aws:execute-api:us-east-1:1:b2/$default/POST/upload-url',
      ),
    ).toBe(false);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('a.c', 'abc')).toBe(false);
  });
});

describe('invoke permission for API Gateway', () => {
  const source = 'arn:aws:execute-api:us-east-1:000000000000:a1b2/$default/POST/upload-url';
  const statement = (
    condition?: Record<string, unknown>,
    principal: unknown = { Service: 'apigateway.amazonaws.com' },
  ) => ({
    Effect: 'Allow' as const,
    Principal: principal,
    Action: 'lambda:InvokeFunction',
    Resource: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
    ...(condition ? { Condition: condition } : {}),
  });

  it('accepts the console-style source ARN for this API and no condition at all', () => {
    expect(
      allowsInvoke(
        [
          statement({
            ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:a1b2/*/*/upload-url' },
          }),
        ],
        source,
      ).allowed,
    ).toBe(true);
    expect(allowsInvoke([statement()], source).allowed).toBe(true);
  });

  it('refuses a grant for another API, for S3, or none', () => {
    const other = allowsInvoke(
      [statement({ ArnLike: { 'aws:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:zz99/*' } })],
      source,
    );
    expect(other).toEqual({
      allowed: false,
      allowedSourceArns: ['arn:aws:execute-api:us-east-1:000000000000:zz99/*'],
    });
    expect(allowsInvoke([statement(undefined, { Service: 's3.amazonaws.com' })], source).allowed).toBe(false);
    expect(allowsInvoke([], source).allowed).toBe(false);
  });
});

describe('bucket CORS as S3 evaluates it', () => {
  const origin = 'http://localhost:5173';
  it('matches origins exactly, by *, or by one wildcard standing for at least one character', () => {
    expect(s3OriginMatches('*', origin)).toBe(true);
    expect(s3OriginMatches('http://localhost:*', origin)).toBe(true);
    expect(s3OriginMatches('http://localhost:5173/', origin)).toBe(false);
    expect(s3OriginMatches('https://localhost:5173', origin)).toBe(false);
    expect(s3OriginMatches('http://localhost:5173*', origin)).toBe(false);
  });

  it('names what keeps the browser POST from working', () => {
    expect(
      judgeBucketCors([{ AllowedOrigins: ['http://x'], AllowedMethods: ['POST'] }], origin).problem,
    ).toBe('origin-missing');
    expect(
      judgeBucketCors([{ AllowedOrigins: [origin], AllowedMethods: ['GET', 'PUT'] }], origin).problem,
    ).toBe('no-post');
    expect(
      judgeBucketCors(
        [{ AllowedOrigins: [origin], AllowedMethods: ['POST'], ExposeHeaders: ['x-amz-request-id'] }],
        origin,
      ).problem,
    ).toBe('etag-not-exposed');
    const good = judgeBucketCors(
      [
        { AllowedOrigins: [origin], AllowedMethods: ['GET'] },
        { AllowedOrigins: ['*'], AllowedMethods: ['POST'], ExposeHeaders: ['ETag'] },
      ],
      origin,
    );
    expect(good.problem).toBeUndefined();
    expect(good.rule?.AllowedOrigins).toEqual(['*']);
  });
});

describe('POST policy scope', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads expiry, key condition and size range in every condition form', () => {
    const scope = policyScope(
      {
        expiration: '2026-01-01T00:15:00Z',
        conditions: [{ bucket: 'b' }, ['content-length-range', 1, '10485760'], { key: 'incoming/a.txt' }],
      },
      now,
    );
    expect(scope).toEqual({
      expiresInSeconds: 900,
      keyCondition: '["eq", "$key", "incoming/a.txt"]',
      keyPrefix: 'incoming/a.txt',
      sizeRange: [1, 10485760],
    });
    expect(
      policyScope({ expiration: '2026-01-01T01:00:00Z', conditions: [['starts-with', '$key', '']] }, now),
    ).toEqual({
      expiresInSeconds: 3600,
      keyCondition: '["starts-with", "$key", ""]',
      keyPrefix: '',
    });
  });
});

describe('S3 event names', () => {
  it('lets ObjectCreated:* cover a browser POST, and Put not', () => {
    expect(eventMatches('s3:ObjectCreated:*', 's3:ObjectCreated:Post')).toBe(true);
    expect(eventMatches('s3:ObjectCreated:Put', 's3:ObjectCreated:Post')).toBe(false);
  });
});
