import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFailure } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { executionRole, lambdaClient, zip } from './test-kit.ts';

const CODE = zip({ 'index.mjs': 'export const handler = async () => "ok";' });

// A long settle time makes the in-between states observable without racing the clock.
describe('Lambda function states while creating and updating', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;
  let role: string;
  const previous = process.env['EMULATOR_LAMBDA_SETTLE_MS'];

  beforeAll(async () => {
    process.env['EMULATOR_LAMBDA_SETTLE_MS'] = '60000';
    emulator = await startTestEmulator();
    client = lambdaClient(emulator.url);
    role = await executionRole(emulator.url, 'states-role');
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env['EMULATOR_LAMBDA_SETTLE_MS'];
    else process.env['EMULATOR_LAMBDA_SETTLE_MS'] = previous;
    await emulator.stop();
  });

  it('refuses Invoke and updates while the function is Pending', async () => {
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'pending',
        Role: role,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: CODE },
      }),
    );
    const got = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'pending' }));
    expect(got).toMatchObject({ State: 'Pending', StateReasonCode: 'Creating' });
    const message =
      'The operation cannot be performed at this time. The function is currently in the following state: Pending';
    expect(await awsFailure(client.send(new InvokeCommand({ FunctionName: 'pending' })))).toEqual({
      code: 'ResourceConflictException',
      status: 409,
      message,
    });
    expect(
      await awsFailure(
        client.send(new UpdateFunctionCodeCommand({ FunctionName: 'pending', ZipFile: CODE })),
      ),
    ).toEqual({
      code: 'ResourceConflictException',
      status: 409,
      // §11.2: updates name the resource and the state reason code.
      message:
        "The operation cannot be performed at this time. The resource arn:aws:lambda:us-east-1:000000000000:function:pending is currently in the following state: 'Pending'. StateReasonCode: 'Creating'",
    });
  });

  it('refuses a second update while one is InProgress', async () => {
    process.env['EMULATOR_LAMBDA_SETTLE_MS'] = '0';
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'updating',
        Role: role,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: CODE },
      }),
    );
    process.env['EMULATOR_LAMBDA_SETTLE_MS'] = '60000';
    const first = await client.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'updating', Timeout: 5 }),
    );
    expect(first).toMatchObject({
      State: 'Active',
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReason: 'The function is being created.',
      LastUpdateStatusReasonCode: 'Creating',
    });
    expect(
      await awsFailure(
        client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'updating', Timeout: 6 })),
      ),
    ).toEqual({
      code: 'ResourceConflictException',
      status: 409,
      message:
        'The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:updating',
    });
  });
});
