import type { Template } from './wire-fuzz.ts';

const ACCOUNT = '000000000000';

export const TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
};

export const PUT_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Put',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:Get*'],
      Resource: 'arn:aws:s3:::upload-lab-*/incoming/*',
      Condition: { StringLike: { 's3:prefix': ['incoming/*'] }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    },
    { Effect: 'Deny', NotAction: 's3:*', NotResource: '*' },
  ],
};

/**
 * The IAM and STS operations the deploy, the checks and the lab's roles use, as Query
 * requests over `role` (which exists) and `policyArn` (a customer managed policy that exists).
 */
export function queryTemplates(role: string, policyArn: string): Template[] {
  const q: Template['expect'] = ['query'];
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${role}`;
  const iam = (op: string, params: Array<[string, string | Record<string, unknown>]>): Template => ({
    op,
    service: 'iam',
    method: 'POST',
    path: '/',
    headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']],
    body: { kind: 'form', params: [['Action', op], ['Version', '2010-05-08'], ...params] },
    expect: q,
  });
  const sts = (op: string, params: Array<[string, string | Record<string, unknown>]>): Template => ({
    ...iam(op, params),
    service: 'sts',
    body: { kind: 'form', params: [['Action', op], ['Version', '2011-06-15'], ...params] },
  });
  return [
    iam('CreateRole', [
      ['RoleName', `${role}-new`],
      ['Path', '/lab/'],
      ['AssumeRolePolicyDocument', TRUST_POLICY],
      ['Description', 'fuzz'],
      ['MaxSessionDuration', '3600'],
      ['Tags.member.1.Key', 'lab'],
      ['Tags.member.1.Value', 'presigned-upload-lab'],
    ]),
    iam('GetRole', [['RoleName', role]]),
    iam('ListRoles', [
      ['MaxItems', '5'],
      ['Marker', 'abc'],
      ['PathPrefix', '/'],
    ]),
    iam('UpdateAssumeRolePolicy', [
      ['RoleName', role],
      ['PolicyDocument', TRUST_POLICY],
    ]),
    iam('TagRole', [
      ['RoleName', role],
      ['Tags.member.1.Key', 'lab:name'],
      ['Tags.member.1.Value', 'fuzz'],
    ]),
    iam('ListRoleTags', [['RoleName', role]]),
    iam('PutRolePolicy', [
      ['RoleName', role],
      ['PolicyName', 'fuzz-inline'],
      ['PolicyDocument', PUT_POLICY],
    ]),
    iam('GetRolePolicy', [
      ['RoleName', role],
      ['PolicyName', 'fuzz-inline'],
    ]),
    iam('ListRolePolicies', [['RoleName', role]]),
    iam('DeleteRolePolicy', [
      ['RoleName', role],
      ['PolicyName', 'no-such-policy'],
    ]),
    iam('AttachRolePolicy', [
      ['RoleName', role],
      ['PolicyArn', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    ]),
    iam('ListAttachedRolePolicies', [['RoleName', role]]),
    iam('CreatePolicy', [
      ['PolicyName', 'fuzz-managed-new'],
      ['PolicyDocument', PUT_POLICY],
    ]),
    iam('GetPolicy', [['PolicyArn', policyArn]]),
    iam('CreatePolicyVersion', [
      ['PolicyArn', policyArn],
      ['PolicyDocument', PUT_POLICY],
      ['SetAsDefault', 'false'],
    ]),
    iam('ListPolicies', [
      ['Scope', 'Local'],
      ['MaxItems', '3'],
    ]),
    iam('SimulatePrincipalPolicy', [
      ['PolicySourceArn', roleArn],
      ['ActionNames.member.1', 's3:PutObject'],
      ['ActionNames.member.2', 's3:GetObject'],
      ['ResourceArns.member.1', 'arn:aws:s3:::upload-lab-000000000000-us-east-1/incoming/a.png'],
      ['ContextEntries.member.1.ContextKeyName', 'aws:SourceIp'],
      ['ContextEntries.member.1.ContextKeyType', 'ip'],
      ['ContextEntries.member.1.ContextKeyValues.member.1', '10.1.2.3'],
      ['PolicyInputList.member.1', PUT_POLICY],
    ]),
    // IAM users and groups (the second identity of a class: an instructor, a student).
    iam('CreateUser', [
      ['UserName', `${role}-user`],
      ['Path', '/class/'],
      ['Tags.member.1.Key', 'lab'],
      ['Tags.member.1.Value', 'student'],
    ]),
    iam('CreateGroup', [['GroupName', `${role}-group`]]),
    iam('AddUserToGroup', [
      ['GroupName', `${role}-group`],
      ['UserName', `${role}-user`],
    ]),
    iam('PutUserPolicy', [
      ['UserName', `${role}-user`],
      ['PolicyName', 'fuzz-inline'],
      ['PolicyDocument', PUT_POLICY],
    ]),
    iam('AttachGroupPolicy', [
      ['GroupName', `${role}-group`],
      ['PolicyArn', policyArn],
    ]),
    iam('CreateAccessKey', [['UserName', `${role}-user`]]),
    iam('UpdateAccessKey', [
      ['UserName', `${role}-user`],
      ['AccessKeyId', 'AKIAIOSFODNN7EXAMPLE'],
      ['Status', 'Inactive'],
    ]),
    iam('ListUsers', [
      ['PathPrefix', '/class/'],
      ['MaxItems', '2'],
    ]),
    sts('GetCallerIdentity', []),
    sts('AssumeRole', [
      ['RoleArn', roleArn],
      ['RoleSessionName', 'fuzz-session'],
      ['DurationSeconds', '900'],
      ['Policy', PUT_POLICY],
    ]),
    {
      op: 'GetCallerIdentity (GET)',
      service: 'sts',
      method: 'GET',
      path: '/',
      query: 'Action=GetCallerIdentity&Version=2011-06-15',
      queryKeys: ['Action', 'Version', 'RoleArn', 'RoleSessionName'],
      expect: q,
    },
  ];
}
