import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, s3Client } from '../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../test-support/start-test-emulator.ts';
import { parseFaults } from './faults.ts';

/** What a rejected SDK call carried: its code, HTTP status and message. */
async function failure(call: Promise<unknown>) {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata: { httpStatusCode?: number } } | undefined;
  return err && { code: err.name, status: err.$metadata.httpStatusCode, message: err.message };
}

describe('EMULATOR_FAULTS', () => {
  let emulator: TestEmulator;
  const once = { maxAttempts: 1 };
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(() => {
    delete process.env['EMULATOR_FAULTS'];
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('parses rules, and refuses what it does not understand', () => {
    expect(parseFaults('throttle:lambda.Invoke:1.0, throttle:s3.*')).toEqual([
      { kind: 'throttle', target: 'lambda.Invoke', rate: 1 },
      { kind: 'throttle', target: 's3.*', rate: 1 },
    ]);
    expect(() => parseFaults('slow:lambda.Invoke')).toThrow(/throttle:<service>/);
    expect(() => parseFaults('throttle:lambda')).toThrow(/throttle:<service>/);
    expect(() => parseFaults('throttle:lambda.Invoke:2')).toThrow(/rate/);
  });

  it('answers a matching operation with the service’s own throttling error, and leaves the rest alone', async () => {
    const lambda = new LambdaClient({ ...clientConfig(emulator.url), ...once });
    const s3 = s3Client(emulator.url, undefined, once);
    const sts = new STSClient({ ...clientConfig(emulator.url), ...once });
    try {
      expect(await failure(lambda.send(new ListFunctionsCommand({})))).toBeUndefined();
      process.env['EMULATOR_FAULTS'] = 'throttle:lambda.ListFunctions:1.0,throttle:s3.*,throttle:sts.*:1';
      expect(await failure(lambda.send(new ListFunctionsCommand({})))).toEqual({
        code: 'TooManyRequestsException',
        status: 429,
        message: 'Rate Exceeded.',
      });
      expect(await failure(s3.send(new ListBucketsCommand({})))).toMatchObject({
        code: 'SlowDown',
        status: 503,
      });
      expect(await failure(sts.send(new GetCallerIdentityCommand({})))).toMatchObject({
        code: 'Throttling',
        status: 400,
      });
      process.env['EMULATOR_FAULTS'] = 'throttle:lambda.Invoke:1.0';
      expect(await failure(lambda.send(new ListFunctionsCommand({})))).toBeUndefined();
      process.env['EMULATOR_FAULTS'] = 'throttle:lambda.ListFunctions:0';
      expect(await failure(lambda.send(new ListFunctionsCommand({})))).toBeUndefined();
    } finally {
      [lambda, s3, sts].forEach((c) => c.destroy());
    }
  });

  it('says so when the switch is malformed, instead of ignoring it', async () => {
    const s3 = s3Client(emulator.url, undefined, once);
    process.env['EMULATOR_FAULTS'] = 'throttle:nonsense';
    try {
      expect(await failure(s3.send(new ListBucketsCommand({})))).toMatchObject({
        status: 500,
        message: expect.stringMatching(/^EMULATOR_FAULTS is malformed/),
      });
    } finally {
      s3.destroy();
    }
  });
});
