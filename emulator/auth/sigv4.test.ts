import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../test-support/aws-cli.ts';
import { awsFailure, stsClient } from '../test-support/iam-sts.ts';
import { sendSigned, signRequest, xmlError, type SignedRequestInput } from '../test-support/sign.ts';
import { startTestEmulator, type TestEmulator } from '../test-support/start-test-emulator.ts';
import { CredentialStore, type SessionRecord } from './credentials.ts';

/**
 * SigV4 as a Query service (STS) sees it, end to end: header and presigned auth, and each
 * authentication failure in IAM/STS's own words.
 */
const CALLER = 'Action=GetCallerIdentity&Version=2011-06-15';
const MINUTE = 60_000;

let emulator: TestEmulator;
let expired: SessionRecord;
let live: SessionRecord;

beforeAll(async () => {
  emulator = await startTestEmulator();
  await emulator.stopKeepingData();
  // Sessions issued straight into the data folder the emulator then starts on: one already expired.
  const store = await CredentialStore.open(join(emulator.dataDir, 'sts', 'sessions'), []);
  const role = { roleArn: 'arn:aws:iam::000000000000:role/r', roleName: 'r', roleId: 'AROAEXAMPLEEXAMPLE01' };
  expired = await store.issueSession({ ...role, sessionName: 'old', durationSeconds: -60 });
  live = await store.issueSession({ ...role, sessionName: 'now', durationSeconds: 900 });
  emulator = await startTestEmulator({ dataDir: emulator.dataDir });
});
afterAll(() => emulator?.stop());

/** A signed STS GetCallerIdentity POST, with `extra` changing how it is signed. */
const postInput = (extra: Partial<SignedRequestInput>): SignedRequestInput => ({
  url: `${emulator.url}/`,
  service: 'sts',
  body: CALLER,
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  ...extra,
});
const post = (extra: Partial<SignedRequestInput>) => sendSigned(postInput(extra));

async function expectError(response: Response, status: number, code: string, message?: string | RegExp) {
  const body = await response.text();
  expect({ status: response.status, code: xmlError(body).code }).toEqual({ status, code });
  if (typeof message === 'string') expect(xmlError(body).message).toBe(message);
  else if (message) expect(xmlError(body).message).toMatch(message);
}

describe('SigV4 header authentication', () => {
  it('accepts the SDK’s signature for the root keys', async () => {
    const me = await stsClient(emulator.url).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:iam::000000000000:root');
  });

  it('accepts a hand-made signature, and one made 14 minutes ago', async () => {
    expect((await post({})).status).toBe(200);
    expect((await post({ signingDate: new Date(Date.now() - 14 * MINUTE) })).status).toBe(200);
  });

  it('refuses an unknown access key: InvalidClientTokenId', async () => {
    const response = await post({ credentials: { accessKeyId: 'AKIANOTAKEY', secretAccessKey: 'x' } });
    await expectError(
      response,
      403,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    );
  });

  it('refuses a signature made with the wrong secret: SignatureDoesNotMatch', async () => {
    const response = await post({ credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } });
    await expectError(
      response,
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  });

  it('refuses a body changed after signing', async () => {
    const { url, init } = await signRequest(postInput({}));
    expect((await fetch(url, init)).status).toBe(200);
    const tampered = await fetch(url, { ...init, body: CALLER.replace('2011-06-15', '2011-06-16') });
    await expectError(tampered, 403, 'SignatureDoesNotMatch');
  });

  it('refuses a clock more than 15 minutes off, either way (Signature expired / not yet current)', async () => {
    await expectError(
      await post({ signingDate: new Date(Date.now() - 16 * MINUTE) }),
      403,
      'SignatureDoesNotMatch',
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    await expectError(
      await post({ signingDate: new Date(Date.now() + 16 * MINUTE) }),
      403,
      'SignatureDoesNotMatch',
      /^Signature not yet current: /,
    );
  });

  it('answers a skewed SDK client with a Date the SDK corrects its clock from, as AWS does', async () => {
    const skewed = stsClient(emulator.url, undefined, { systemClockOffset: -30 * MINUTE });
    const first = await awsFailure(skewed.send(new GetCallerIdentityCommand({})));
    expect(first).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    expect(first.message).toMatch(/^Signature expired: /);
    const me = await skewed.send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:iam::000000000000:root');
  });

  it('accepts a live session with its token, and refuses it without or with another token', async () => {
    const creds = {
      accessKeyId: live.accessKeyId,
      secretAccessKey: live.secretAccessKey,
      sessionToken: live.sessionToken,
    };
    expect((await stsClient(emulator.url, creds).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      'arn:aws:sts::000000000000:assumed-role/r/now',
    );
    const { sessionToken: _, ...withoutToken } = creds;
    await expectError(await post({ credentials: withoutToken }), 403, 'InvalidClientTokenId');
    await expectError(
      await post({ credentials: { ...creds, sessionToken: expired.sessionToken } }),
      403,
      'InvalidClientTokenId',
    );
  });

  it('refuses an expired session: ExpiredToken', async () => {
    const creds = {
      accessKeyId: expired.accessKeyId,
      secretAccessKey: expired.secretAccessKey,
      sessionToken: expired.sessionToken,
    };
    expect(await awsFailure(stsClient(emulator.url, creds).send(new GetCallerIdentityCommand({})))).toEqual({
      code: 'ExpiredToken',
      status: 403,
      message: 'The security token included in the request is expired',
    });
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await fetch(`${emulator.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request',
      },
      body: CALLER,
    });
    await expectError(response, 400, 'AuthorizationHeaderMalformed');
  });
});

describe('SigV4 presigned query authentication (GET)', () => {
  it('accepts a presigned STS GetCallerIdentity', async () => {
    const response = await sendSigned({
      url: `${emulator.url}/?${CALLER}`,
      service: 'sts',
      presignSeconds: 300,
    });
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toContain('<Arn>arn:aws:iam::000000000000:root</Arn>');
  });

  it('refuses a presigned URL whose query was changed', async () => {
    const { url: good } = await signRequest({
      url: `${emulator.url}/?${CALLER}`,
      service: 'sts',
      presignSeconds: 300,
    });
    expect((await fetch(good)).status).toBe(200);
    const changed = good.replace('Version=2011-06-15', 'Version=2011-06-16');
    expect(changed).not.toBe(good);
    await expectError(await fetch(changed), 403, 'SignatureDoesNotMatch');
  });
});

describe.skipIf(!hasAwsCli)('SigV4 from the AWS CLI v2', () => {
  it('signs sts get-caller-identity the way the emulator accepts', async () => {
    const out = await runAws(emulator.url, ['sts', 'get-caller-identity', '--output', 'json']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
    });
  });

  it('reports a wrong secret as SignatureDoesNotMatch', async () => {
    const out = await runAws(emulator.url, ['sts', 'get-caller-identity'], {
      AWS_SECRET_ACCESS_KEY: 'wrong',
    });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('SignatureDoesNotMatch');
  });
});
