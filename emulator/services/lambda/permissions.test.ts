import {
  AddPermissionCommand,
  GetPolicyCommand,
  RemovePermissionCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { awsFailure } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { deploy, executionRole, lambdaClient } from './test-kit.ts';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:guarded';

describe('Lambda resource policy: AddPermission, GetPolicy, RemovePermission', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = lambdaClient(emulator.url);
    const role = await executionRole(emulator.url, 'policy-role');
    await deploy(client, {
      name: 'guarded',
      role,
      files: { 'index.mjs': 'export const handler = async () => 1;' },
    });
  });
  afterAll(() => emulator.stop());

  it('has no policy at first', async () => {
    expect(await awsFailure(client.send(new GetPolicyCommand({ FunctionName: 'guarded' })))).toEqual({
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'The resource you requested does not exist.',
    });
    expect(
      await awsFailure(
        client.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 's3' })),
      ),
    ).toEqual({
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'No policy is associated with the given resource.',
    });
  });

  it('adds statements in the recorded shape and returns the whole policy', async () => {
    const added = await client.send(
      new AddPermissionCommand({
        FunctionName: 'guarded',
        StatementId: 's3',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::uploads',
        SourceAccount: '000000000000',
      }),
    );
    expect(added.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(added.Statement!)).toEqual({
      Sid: 's3',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: ARN,
      Condition: {
        StringEquals: { 'AWS:SourceAccount': '000000000000' },
        ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' },
      },
    });
    await client.send(
      new AddPermissionCommand({
        FunctionName: 'guarded',
        StatementId: 'anyone',
        Action: 'lambda:*',
        Principal: '*',
      }),
    );
    await client.send(
      new AddPermissionCommand({
        FunctionName: ARN,
        StatementId: 'account',
        Action: 'lambda:InvokeFunction',
        Principal: '111122223333',
      }),
    );
    const policy = await client.send(new GetPolicyCommand({ FunctionName: 'guarded' }));
    expect(policy.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    const doc = JSON.parse(policy.Policy!);
    expect(doc).toMatchObject({ Version: '2012-10-17', Id: 'default' });
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['s3', 'anyone', 'account']);
    expect(doc.Statement[1].Principal).toBe('*');
    expect(doc.Statement[2].Principal).toEqual({ AWS: 'arn:aws:iam::111122223333:root' });
  });

  it('refuses a duplicate, a bad statement id, an invalid principal, a stale revision and an unknown function', async () => {
    const add = (input: Partial<ConstructorParameters<typeof AddPermissionCommand>[0]>) =>
      awsFailure(
        client.send(
          new AddPermissionCommand({
            FunctionName: 'guarded',
            StatementId: 'x',
            Action: 'lambda:InvokeFunction',
            Principal: 'apigateway.amazonaws.com',
            ...input,
          }),
        ),
      );
    expect(await add({ StatementId: 's3' })).toEqual({
      code: 'ResourceConflictException',
      status: 409,
      message:
        'The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.',
    });
    const sid = await add({ StatementId: 'bad sid!' });
    expect(sid.code).toBe('ValidationException');
    expect(sid.message).toContain('Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)');
    expect(await add({ Principal: 'not-a-principal' })).toEqual({
      code: 'InvalidParameterValueException',
      status: 400,
      message: 'The provided principal was invalid. Please check the principal and try again.',
    });
    expect((await add({ RevisionId: 'stale' })).code).toBe('PreconditionFailedException');
    expect(await add({ FunctionName: 'nope' })).toEqual({
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
    });
  });

  it('removes statements one by one', async () => {
    expect(
      await awsFailure(
        client.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 'zzz' })),
      ),
    ).toEqual({
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'Statement zzz is not found in resource policy.',
    });
    for (const StatementId of ['anyone', 'account'])
      expect(
        (await client.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId }))).$metadata
          .httpStatusCode,
      ).toBe(204);
    const doc = JSON.parse((await client.send(new GetPolicyCommand({ FunctionName: 'guarded' }))).Policy!);
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['s3']);
  });

  it('lets S3 validate its notification destination against the policy (env.lambda.allowsInvoke)', async () => {
    const s3 = s3Client(emulator.url);
    for (const Bucket of ['uploads', 'elsewhere']) await s3.send(new CreateBucketCommand({ Bucket }));
    const notify = (Bucket: string) =>
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [{ LambdaFunctionArn: ARN, Events: ['s3:ObjectCreated:*'] }],
          },
        }),
      );
    await notify('uploads'); // SourceArn arn:aws:s3:::uploads is allowed
    const refused = await awsFailure(notify('elsewhere'));
    expect(refused).toMatchObject({ code: 'InvalidArgument', status: 400 });
  });
});
