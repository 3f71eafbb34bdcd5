import { createHash } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { awsFailure } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { deploy, executionRole, invoke, lambdaClient, zip } from './test-kit.ts';

const ECHO = { 'index.mjs': 'export const handler = async (event) => ({ version: 1, event });' };
const waitUpdated = (client: LambdaClient, name: string) =>
  waitUntilFunctionUpdatedV2(
    { client, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.5 },
    { FunctionName: name },
  );

describe('Lambda control plane', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;
  let role: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = lambdaClient(emulator.url);
    role = await executionRole(emulator.url, 'control-plane-role');
  });
  afterAll(() => emulator.stop());

  it('creates a function Pending with the recorded members, then Active for the waiter', async () => {
    const code = zip(ECHO);
    const created = await client.send(
      new CreateFunctionCommand({
        FunctionName: 'lifecycle',
        Role: role,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: code },
        Environment: { Variables: { STAGE: 'test' } },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({
      FunctionName: 'lifecycle',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:lifecycle',
      Runtime: 'nodejs20.x',
      Role: role,
      Handler: 'index.handler',
      CodeSize: code.length,
      CodeSha256: createHash('sha256').update(code).digest('base64'),
      Timeout: 3,
      MemorySize: 128,
      Version: '$LATEST',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/lifecycle' },
      TracingConfig: { Mode: 'PassThrough' },
      Environment: { Variables: { STAGE: 'test' } },
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
    });
    expect(created.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    await deploy(client, { name: 'other', role, files: ECHO }); // waits with waitUntilFunctionActiveV2
    const got = await client.send(new GetFunctionCommand({ FunctionName: 'lifecycle' }));
    expect(got.Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(got.Configuration?.RevisionId).not.toBe(created.RevisionId);
    const config = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    expect(config.CodeSha256).toBe(created.CodeSha256);
  });

  it('serves the code behind GetFunction Code.Location', async () => {
    const got = await client.send(new GetFunctionCommand({ FunctionName: 'lifecycle' }));
    expect(got.Code?.RepositoryType).toBe('S3');
    const response = await fetch(got.Code!.Location!);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('base64')).toBe(got.Configuration?.CodeSha256);
  });

  it('accepts names, partial ARNs and full ARNs', async () => {
    for (const FunctionName of [
      'lifecycle',
      '000000000000:function:lifecycle',
      'arn:aws:lambda:us-east-1:000000000000:function:lifecycle',
      'arn:aws:lambda:us-east-1:000000000000:function:lifecycle:$LATEST',
    ]) {
      const got = await client.send(new GetFunctionConfigurationCommand({ FunctionName }));
      expect(got.FunctionName).toBe('lifecycle');
    }
  });

  it('lists functions by name, page by page', async () => {
    for (const n of ['list-a', 'list-b', 'list-c']) await deploy(client, { name: n, role, files: ECHO });
    const names: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await client.send(
        new ListFunctionsCommand({ MaxItems: 2, ...(Marker ? { Marker } : {}) }),
      );
      expect(page.Functions!.length).toBeLessThanOrEqual(2);
      for (const f of page.Functions!) {
        expect(f.State).toBeUndefined();
        names.push(f.FunctionName!);
      }
      Marker = page.NextMarker;
    } while (Marker);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['lifecycle', 'list-a', 'list-b', 'list-c', 'other']));
  });

  it('updates the configuration (InProgress, then Successful) and the running function sees it', async () => {
    const role2 = await executionRole(emulator.url, 'control-plane-role-2');
    const updated = await client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'lifecycle',
        Timeout: 10,
        MemorySize: 256,
        Role: role2,
        Runtime: 'nodejs22.x',
        Handler: 'main.run',
        Description: 'changed',
        Environment: { Variables: { STAGE: 'prod' } },
      }),
    );
    expect(updated).toMatchObject({
      Timeout: 10,
      MemorySize: 256,
      Role: role2,
      Runtime: 'nodejs22.x',
      Handler: 'main.run',
      Description: 'changed',
      LastUpdateStatus: 'InProgress',
      State: 'Active',
    });
    await waitUpdated(client, 'lifecycle');
    const after = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    expect(after.LastUpdateStatus).toBe('Successful');

    await client.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'lifecycle',
        ZipFile: zip({
          'main.mjs':
            'export const run = async () => ({ version: 2, stage: process.env.STAGE, memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE });',
        }),
      }),
    );
    await waitUpdated(client, 'lifecycle');
    expect((await invoke(client, 'lifecycle')).body).toEqual({ version: 2, stage: 'prod', memory: '256' });
  });

  it('refuses an update with a stale RevisionId', async () => {
    const failure = await awsFailure(
      client.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'other', Timeout: 5, RevisionId: 'stale' }),
      ),
    );
    expect(failure).toMatchObject({ code: 'PreconditionFailedException', status: 412 });
  });

  it('creates a function from an S3 object, and says why when the object is missing', async () => {
    const s3 = s3Client(emulator.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'code-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'code-bucket', Key: 'fn.zip', Body: zip(ECHO) }));
    await deploy(client, {
      name: 'from-s3',
      role,
      files: {},
      Code: { S3Bucket: 'code-bucket', S3Key: 'fn.zip' },
    });
    expect((await invoke(client, 'from-s3', { a: 1 })).body).toEqual({ version: 1, event: { a: 1 } });
    const missing = await awsFailure(
      client.send(
        new CreateFunctionCommand({
          FunctionName: 'from-s3-missing',
          Role: role,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { S3Bucket: 'code-bucket', S3Key: 'nope.zip' },
        }),
      ),
    );
    expect(missing).toMatchObject({ code: 'InvalidParameterValueException', status: 400 });
    expect(missing.message).toBe(
      'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.',
    );
  });

  it('tags a function, lists, untags, and shows tags in GetFunction', async () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:other';
    await client.send(
      new TagResourceCommand({ Resource: arn, Tags: { lab: 'presigned-upload-lab', team: 'x' } }),
    );
    expect((await client.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({
      lab: 'presigned-upload-lab',
      team: 'x',
    });
    await client.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['team'] }));
    expect((await client.send(new GetFunctionCommand({ FunctionName: 'other' }))).Tags).toEqual({
      lab: 'presigned-upload-lab',
    });
    await deploy(client, { name: 'tagged', role, files: ECHO, Tags: { lab: 'x' } });
    expect((await client.send(new GetFunctionCommand({ FunctionName: 'tagged' }))).Tags).toEqual({
      lab: 'x',
    });
    const bad = await awsFailure(client.send(new ListTagsCommand({ Resource: 'not-an-arn' })));
    expect(bad).toMatchObject({ code: 'ValidationException', status: 400 });
    const gone = await awsFailure(
      client.send(new ListTagsCommand({ Resource: 'arn:aws:lambda:us-east-1:000000000000:function:nope' })),
    );
    expect(gone).toMatchObject({ code: 'ResourceNotFoundException', status: 404 });
  });

  it('deletes a function; afterwards it is not found', async () => {
    const deleted = await client.send(new DeleteFunctionCommand({ FunctionName: 'tagged' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const failure = await awsFailure(client.send(new GetFunctionCommand({ FunctionName: 'tagged' })));
    expect(failure).toEqual({
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:tagged',
    });
  });

  it('keeps functions across a restart', async () => {
    await emulator.stopKeepingData();
    emulator = await startTestEmulator({ dataDir: emulator.dataDir });
    client = lambdaClient(emulator.url);
    const got = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'from-s3' }));
    expect(got.State).toBe('Active');
    expect((await invoke(client, 'from-s3', { b: 2 })).body).toEqual({ version: 1, event: { b: 2 } });
  });
});
