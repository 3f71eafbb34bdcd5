import { describe, expect, it } from 'vitest';
import { iamActionFor, toLabError } from './aws-errors.ts';
import { LabError } from './errors.ts';
import { createBucketError } from './resources/bucket.ts';

/** The shape AWS SDK v3 gives a service error, plus what `calls.ts` adds. */
const awsError = (name: string, message: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 }, ...extra });

describe('toLabError', () => {
  it('names the IAM action from an enhanced AccessDenied message', () => {
    const err = toLabError(
      awsError(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/upload-lab-list-files-role',
        { $service: 'IAM', $command: 'CreateRole' },
      ),
    );
    expect(err.code).toBe('LAB_MISSING_PERMISSION');
    expect(err.action).toBe('iam:CreateRole');
    expect(err.message).toMatch(/^LAB_MISSING_PERMISSION: .*iam:CreateRole/);
    expect(err.exitCode).toBe(1);
  });

  it('names the action from the failed call when S3 only says "Access Denied"', () => {
    const err = toLabError(
      awsError('AccessDenied', 'Access Denied', { $service: 'S3', $command: 'PutBucketCors' }),
    );
    expect(err.action).toBe('s3:PutBucketCORS');
    expect(err.message).toContain('s3:PutBucketCORS');
  });

  it('takes iam:PassRole from a Lambda AccessDeniedException', () => {
    const err = toLabError(
      awsError(
        'AccessDeniedException',
        'User: arn:aws:iam::1:user/a is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/r',
        { $service: 'Lambda', $command: 'CreateFunction' },
      ),
    );
    expect(err.action).toBe('iam:PassRole');
  });

  it('tells missing credentials from refused ones, both as LAB_NO_CREDENTIALS (exit 2)', () => {
    const missing = toLabError(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    expect(missing.code).toBe('LAB_NO_CREDENTIALS');
    expect(missing.message).toContain('aws configure');
    expect(missing.exitCode).toBe(2);
    const refused = toLabError(
      awsError('InvalidClientTokenId', 'The security token included in the request is invalid.'),
    );
    expect(refused.code).toBe('LAB_NO_CREDENTIALS');
    expect(refused.message).toContain('InvalidClientTokenId');
  });

  it('says the endpoint is down on ECONNREFUSED, and the region is wrong on ENOTFOUND without endpoint', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    expect(toLabError(refused, { endpoint: 'http://localhost:4566' }).code).toBe('LAB_ENDPOINT_UNREACHABLE');
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND sts.xx-nowhere-1.amazonaws.com'), {
      code: 'ENOTFOUND',
    });
    const err = toLabError(dns, { region: 'xx-nowhere-1' });
    expect(err.code).toBe('LAB_BAD_REGION');
    expect(err.message).toContain('xx-nowhere-1');
  });

  it('keeps an unexpected AWS error code and the call in the message', () => {
    const err = toLabError(
      awsError('ThrottlingException', 'Rate exceeded', { $service: 'Lambda', $command: 'GetFunction' }),
    );
    expect(err.code).toBe('LAB_AWS_ERROR');
    expect(err.message).toBe('LAB_AWS_ERROR: AWS answered ThrottlingException (GetFunction): Rate exceeded');
  });

  it('passes LabErrors through', () => {
    const original = new LabError('LAB_NOT_DEPLOYED', 'x');
    expect(toLabError(original)).toBe(original);
  });
});

describe('createBucketError', () => {
  it('turns BucketAlreadyExists into LAB_NAME_TAKEN with the fix', () => {
    const err = createBucketError(
      awsError('BucketAlreadyExists', 'The requested bucket name is not available.'),
      'b',
    );
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).code).toBe('LAB_NAME_TAKEN');
    expect((err as LabError).message).toContain('--name');
  });
});

describe('iamActionFor', () => {
  it.each([
    ['S3', 'HeadBucket', 's3:ListBucket'],
    ['S3', 'PutBucketNotificationConfiguration', 's3:PutBucketNotification'],
    ['S3', 'CreateBucket', 's3:CreateBucket'],
    ['Lambda', 'AddPermission', 'lambda:AddPermission'],
    ['ApiGatewayV2', 'GetApis', 'apigateway:GET'],
    ['ApiGatewayV2', 'UpdateApi', 'apigateway:PATCH'],
    ['ApiGatewayV2', 'CreateRoute', 'apigateway:POST'],
    ['ApiGatewayV2', 'DeleteApi', 'apigateway:DELETE'],
  ])('%s %s needs %s', (service, command, action) => {
    expect(iamActionFor(service, command)).toBe(action);
  });
});
