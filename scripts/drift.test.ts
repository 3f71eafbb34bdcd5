import { DeleteApiCommand, UpdateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { DeleteRolePolicyCommand, DetachRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  DeleteFunctionCommand,
  RemovePermissionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  DeleteBucketCorsCommand,
  DeleteObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabOutputs } from '../checks/lib/outputs.ts';
import { deploy } from './deploy.ts';
import { teardown } from './teardown.ts';
import { namesWithPrefix, testClients } from './test-support/clients.ts';
import {
  EMULATOR_MISSING,
  startLocalStack,
  TEST_CREDENTIALS,
  type LocalStack,
} from './test-support/local-stack.ts';

describe.skipIf(EMULATOR_MISSING)('deploy and teardown over a stack changed by hand', () => {
  let stack: LocalStack;
  let aws: ReturnType<typeof testClients>;
  let outputs: LabOutputs;
  const opts = () => ({
    endpoint: stack.endpoint,
    credentials: TEST_CREDENTIALS,
    name: 'drift-test',
    origin: stack.origin,
    outputsFile: false as const,
    stage: 'solution' as const,
  });

  beforeAll(async () => {
    stack = await startLocalStack();
    aws = testClients(stack.endpoint);
    outputs = (await deploy(opts())).outputs;
  });
  afterAll(async () => {
    aws?.destroy();
    await stack?.stop();
  });

  it('puts back exactly what was changed, and then changes nothing', async () => {
    const Bucket = outputs.bucket;
    const off = {
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    };
    await aws.s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: off }));
    await aws.s3.send(new DeleteBucketCorsCommand({ Bucket }));
    await aws.s3.send(
      new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {} }),
    );
    await aws.iam.send(
      new DeleteRolePolicyCommand({
        RoleName: outputs.roles.listFiles,
        PolicyName: 'drift-test-list-files-s3',
      }),
    );
    await aws.iam.send(
      new DetachRolePolicyCommand({
        RoleName: outputs.roles.fileMetadata,
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      }),
    );
    await aws.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: outputs.functions.listFiles,
        Timeout: 3,
        Environment: { Variables: { FILES_BUCKET: 'someone-elses-bucket' } },
      }),
    );
    await aws.lambda.send(
      new RemovePermissionCommand({
        FunctionName: outputs.functions.uploadTicket,
        StatementId: 'apigateway-post-upload-url',
      }),
    );
    await aws.apigw.send(
      new UpdateApiCommand({
        ApiId: outputs.apiId,
        CorsConfiguration: { AllowOrigins: ['https://elsewhere.example'] },
      }),
    );

    const repaired = await deploy(opts());
    const changed = repaired.changes
      .filter((c) => c.action !== 'unchanged')
      .map((c) => `${c.kind}:${c.action}:${c.name}`);
    expect(changed.sort()).toEqual(
      [
        `bucket:updated:${Bucket}`,
        `bucket-cors:created:${Bucket}`,
        `bucket-notification:created:${Bucket} → drift-test-file-metadata`,
        'role:updated:drift-test-file-metadata-role',
        'role:updated:drift-test-list-files-role',
        'function:updated:drift-test-list-files',
        'permission:created:drift-test-upload-ticket ← apigateway (apigateway-post-upload-url)',
        `api-cors:updated:drift-test-api (${outputs.apiId})`,
      ].sort(),
    );
    const list = repaired.changes.find((c) => c.name === 'drift-test-list-files');
    expect(list?.detail).toBe('configuration');

    const again = await deploy(opts());
    expect(again.writes).toEqual([]);
  });

  it('teardown removes what is left of a half-deleted stack, a bucket versioned by hand included', async () => {
    // An object from before versioning (version "null"), a newer version and a delete marker.
    const Bucket = outputs.bucket;
    await aws.s3.send(new PutObjectCommand({ Bucket, Key: 'notes/old.txt', Body: 'before' }));
    await aws.s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await aws.s3.send(new PutObjectCommand({ Bucket, Key: 'notes/old.txt', Body: 'after' }));
    await aws.s3.send(new DeleteObjectCommand({ Bucket, Key: 'notes/old.txt' }));
    await aws.apigw.send(new DeleteApiCommand({ ApiId: outputs.apiId }));
    await aws.lambda.send(new DeleteFunctionCommand({ FunctionName: outputs.functions.fileMetadata }));
    const result = await teardown({
      endpoint: stack.endpoint,
      credentials: TEST_CREDENTIALS,
      name: 'drift-test',
      outputsFile: false,
    });
    expect(result.removed.map((c) => c.kind).sort()).toEqual([
      'bucket',
      'function',
      'function',
      'role',
      'role',
      'role',
    ]);
    expect(await namesWithPrefix(aws, 'drift-test')).toEqual({
      buckets: [],
      functions: [],
      roles: [],
      apis: [],
    });
  });
});
