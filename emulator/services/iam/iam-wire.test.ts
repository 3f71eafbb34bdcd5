import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSigned, xmlError } from '../../test-support/sign.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

/** The Query wire format itself: namespaces, error documents, unknown actions, missing members. */
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.stop());

const call = (service: 'iam' | 'sts', form: string) =>
  sendSigned({
    url: `${emulator.url}/`,
    service,
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  });

describe('IAM and STS Query wire format', () => {
  it('answers in the IAM namespace with a request id', async () => {
    const response = await call('iam', 'Action=ListRoles&Version=2010-05-08');
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(body).toContain('<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
    expect(body).toContain('<IsTruncated>false</IsTruncated>');
    const requestId = response.headers.get('x-amzn-requestid');
    expect(body).toContain(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`);
  });

  it('answers STS in the STS namespace', async () => {
    const body = await (await call('sts', 'Action=GetCallerIdentity&Version=2011-06-15')).text();
    expect(body).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
  });

  it('refuses an unknown action with InvalidAction, in an ErrorResponse document', async () => {
    const response = await call('iam', 'Action=Frobnicate&Version=2010-05-08');
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(body).toContain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
    expect(body).toContain('<Type>Sender</Type>');
    expect(xmlError(body)).toEqual({
      code: 'InvalidAction',
      message: 'Could not find operation Frobnicate for version 2010-05-08',
    });
    const sts = await call('sts', 'Action=Frobnicate&Version=2011-06-15');
    expect(xmlError(await sts.text())).toEqual({
      code: 'InvalidAction',
      message: 'Could not find operation Frobnicate for version 2011-06-15',
    });
  });

  it('refuses a missing required member with ValidationError', async () => {
    const response = await call('iam', 'Action=GetRole&Version=2010-05-08');
    expect(response.status).toBe(400);
    expect(xmlError(await response.text())).toEqual({
      code: 'ValidationError',
      message:
        "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null",
    });
  });

  it('forgets roles and customer policies on reset, keeps the AWS-managed ones', async () => {
    const trust = encodeURIComponent(
      JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }],
      }),
    );
    expect(
      (await call('iam', `Action=CreateRole&RoleName=before-reset&AssumeRolePolicyDocument=${trust}`)).status,
    ).toBe(200);
    expect((await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' })).status).toBe(200);
    expect(xmlError(await (await call('iam', 'Action=GetRole&RoleName=before-reset')).text()).code).toBe(
      'NoSuchEntity',
    );
    const basic = encodeURIComponent('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    expect((await call('iam', `Action=GetPolicy&PolicyArn=${basic}`)).status).toBe(200);
  });
});
