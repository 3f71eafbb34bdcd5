import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  type LambdaFunctionConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AddPermissionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, expectXmlError, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:on-upload';
/** Lambda is another service of the local AWS; the test that needs it skips when it is absent. */
const hasLambda = existsSync(new URL('../lambda/index.ts', import.meta.url));

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

async function bucket(): Promise<string> {
  const Bucket = uniqueBucket('notify');
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

const put = (Bucket: string, configs: LambdaFunctionConfiguration[], skip = true) =>
  s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: { LambdaFunctionConfigurations: configs },
      SkipDestinationValidation: skip,
    }),
  );

describe('notification configuration', () => {
  it('returns what was stored, filter names normalised, empty values kept, ids generated', async () => {
    const Bucket = await bucket();
    await put(Bucket, [
      {
        Id: 'mine',
        LambdaFunctionArn: ARN,
        Events: ['s3:ObjectCreated:*'],
        Filter: {
          Key: {
            FilterRules: [
              { Name: 'prefix', Value: 'incoming/' },
              { Name: 'SUFFIX' as 'suffix', Value: '' },
            ],
          },
        },
      },
      { LambdaFunctionArn: ARN, Events: ['s3:ObjectCreated:Post', 's3:ObjectCreated:Put'] },
    ]);
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(got.LambdaFunctionConfigurations?.[0]).toEqual({
      Id: 'mine',
      LambdaFunctionArn: ARN,
      Events: ['s3:ObjectCreated:*'],
      Filter: {
        Key: {
          FilterRules: [
            { Name: 'Prefix', Value: 'incoming/' },
            { Name: 'Suffix', Value: '' },
          ],
        },
      },
    });
    expect(got.LambdaFunctionConfigurations?.[1]).toMatchObject({
      LambdaFunctionArn: ARN,
      Events: ['s3:ObjectCreated:Post', 's3:ObjectCreated:Put'],
    });
    expect(got.LambdaFunctionConfigurations?.[1]?.Id).toMatch(/.+/);
    await put(Bucket, []);
    expect(
      (await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }))).LambdaFunctionConfigurations,
    ).toBeUndefined();
  });

  it('refuses an ARN it cannot parse, even without destination validation', async () => {
    const Bucket = await bucket();
    await expectSdkError(
      put(Bucket, [{ LambdaFunctionArn: 'invalid-arn', Events: ['s3:ObjectCreated:*'] }]),
      400,
      'InvalidArgument',
      'The ARN could not be parsed',
      { ArgumentName: 'CloudFunction', ArgumentValue: 'invalid-arn' },
    );
  });

  it('refuses a filter rule other than prefix or suffix, and a rule missing its value', async () => {
    const Bucket = await bucket();
    await expectSdkError(
      put(Bucket, [
        {
          LambdaFunctionArn: ARN,
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'middle' as 'prefix', Value: 'x' }] } },
        },
      ]),
      400,
      'InvalidArgument',
      'filter rule name must be either prefix or suffix',
      { ArgumentName: 'FilterRule.Name', ArgumentValue: 'middle' },
    );
    const body = `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CloudFunctionConfiguration><CloudFunction>${ARN}</CloudFunction><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name></FilterRule></S3Key></Filter></CloudFunctionConfiguration></NotificationConfiguration>`;
    const response = await signedFetch(`${emulator.url}/${Bucket}?notification`, {
      method: 'PUT',
      body,
      headers: {
        'content-md5': createHash('md5').update(body).digest('base64'),
        'x-amz-skip-destination-validation': 'true',
      },
    });
    await expectXmlError(
      response,
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  });

  const refused = (Bucket: string, arn: string) =>
    expectSdkError(
      put(Bucket, [{ LambdaFunctionArn: arn, Events: ['s3:ObjectCreated:*'] }], false),
      400,
      'InvalidArgument',
      'Unable to validate the following destination configurations',
      { ArgumentName1: `${arn}, null`, ArgumentValue1: `Not authorized to invoke function [${arn}]` },
    );

  it('validates the destination: a function that does not exist is refused', async () => {
    await refused(await bucket(), 'arn:aws:lambda:us-east-1:000000000000:function:does-not-exist');
  });

  it.skipIf(!hasLambda)(
    'validates the destination: the function must allow s3.amazonaws.com for this bucket',
    async () => {
      const Bucket = await bucket();
      const { lambdaClient, deploy, executionRole } = await import('../lambda/test-kit.ts');
      const lambda: LambdaClient = lambdaClient(emulator.url);
      const role = await executionRole(emulator.url, 'notify-config-role');
      await deploy(lambda, {
        name: 'on-upload',
        role,
        files: { 'index.js': 'exports.handler = async () => "ok";' },
      });
      await refused(Bucket, ARN);
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: 'on-upload',
          StatementId: 's3',
          Action: 'lambda:InvokeFunction',
          Principal: 's3.amazonaws.com',
          SourceArn: 'arn:aws:s3:::some-other-bucket',
        }),
      );
      await refused(Bucket, ARN);
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: 'on-upload',
          StatementId: 's3-this-bucket',
          Action: 'lambda:InvokeFunction',
          Principal: 's3.amazonaws.com',
          SourceArn: `arn:aws:s3:::${Bucket}`,
        }),
      );
      await put(Bucket, [{ LambdaFunctionArn: ARN, Events: ['s3:ObjectCreated:*'] }], false);
      lambda.destroy();
    },
  );
});
