import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.ts';
import { awsFailure } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { executionRole, invoke, lambdaClient, zip } from './test-kit.ts';

const code = (answer: string) =>
  zip({ 'index.mjs': `export const handler = async () => ${JSON.stringify(answer)};` });
const CONFLICT = 'The operation cannot be performed at this time.';
const ROLE_REFUSED = {
  code: 'InvalidParameterValueException',
  status: 400,
  message: 'The role defined for the function cannot be assumed by Lambda.',
};

// --consistency aws at its own numbers (§11.5): the windows are seconds long, so the states in
// between are seen by the next request; every wait is on a condition, not a duration.
describe('Lambda under --consistency aws', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;
  // Made first, so it has propagated by the time the later tests use it.
  let shared: string;

  beforeAll(async () => {
    emulator = await startTestEmulator({ consistency: 'aws' });
    client = lambdaClient(emulator.url);
    shared = await executionRole(emulator.url, 'shared-role');
  });
  afterAll(() => emulator?.stop());

  const create = (name: string, role: string, answer = 'v1') =>
    client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: role,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: code(answer) },
      }),
    );
  const state = (name: string) => client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));

  it('refuses a just-created role with AWS message, then accepts it; the function is Pending, then Active', async () => {
    const role = await executionRole(emulator.url, 'fresh-role');
    expect(await awsFailure(create('fresh', role))).toEqual(ROLE_REFUSED);
    const created = await eventually(() => create('fresh', role).catch(() => undefined), {
      what: 'CreateFunction with the new role',
    });
    expect(created).toMatchObject({
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
    });
    expect(await awsFailure(client.send(new InvokeCommand({ FunctionName: 'fresh' })))).toEqual({
      code: 'ResourceConflictException',
      status: 409,
      message: `${CONFLICT} The function is currently in the following state: Pending`,
    });
    await eventually(async () => ((await state('fresh')).State === 'Active' ? true : undefined));
    expect((await invoke(client, 'fresh')).body).toBe('v1');
  });

  it('keeps an update InProgress: a second update is refused and Invoke runs the old code', async () => {
    await eventually(() => create('updating', shared).catch(() => undefined));
    await eventually(async () => ((await state('updating')).State === 'Active' ? true : undefined));
    expect((await invoke(client, 'updating')).body).toBe('v1');

    const updated = await client.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'updating', ZipFile: code('v2') }),
    );
    expect(updated).toMatchObject({ State: 'Active', LastUpdateStatus: 'InProgress' });
    expect(
      await awsFailure(
        client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'updating', Timeout: 9 })),
      ),
    ).toEqual({
      code: 'ResourceConflictException',
      status: 409,
      message: `${CONFLICT} An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:updating`,
    });
    expect((await invoke(client, 'updating')).body).toBe('v1');

    await eventually(async () =>
      (await state('updating')).LastUpdateStatus === 'Successful' ? true : undefined,
    );
    expect((await invoke(client, 'updating')).body).toBe('v2');
  });

  it('refuses a just-created role in UpdateFunctionConfiguration too', async () => {
    await eventually(() => create('switching', shared).catch(() => undefined));
    await eventually(async () => ((await state('switching')).State === 'Active' ? true : undefined));
    const next = await executionRole(emulator.url, 'second-role');
    const change = () =>
      client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'switching', Role: next }));
    expect(await awsFailure(change())).toEqual(ROLE_REFUSED);
    const out = await eventually(() => change().catch(() => undefined));
    expect(out.Role).toBe(next);
  });

  it('keeps an update in progress across a restart, and it still lands', async () => {
    await eventually(() => create('restarted', shared).catch(() => undefined));
    await eventually(async () => ((await state('restarted')).State === 'Active' ? true : undefined));
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'restarted', ZipFile: code('after') }));
    await emulator.stopKeepingData();
    emulator = await startTestEmulator({ dataDir: emulator.dataDir, consistency: 'aws' });
    client = lambdaClient(emulator.url);
    await eventually(async () =>
      (await state('restarted')).LastUpdateStatus === 'Successful' ? true : undefined,
    );
    expect((await invoke(client, 'restarted')).body).toBe('after');
  });
});
