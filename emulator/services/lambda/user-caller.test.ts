import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, type TestCredentials } from '../../test-support/clients.ts';
import { awsFailure, iamClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { executionRole, zip } from './test-kit.ts';

const ECHO = { 'index.mjs': 'export const handler = async (e) => e;' };

describe('Lambda called by an IAM user', () => {
  let emulator: TestEmulator;
  let iam: IAMClient;
  let role: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    iam = iamClient(emulator.url);
    role = await executionRole(emulator.url, 'user-caller-role');
  });
  afterAll(() => emulator.stop());

  async function userKey(UserName: string, actions: string[]): Promise<TestCredentials> {
    await iam.send(new CreateUserCommand({ UserName }));
    const PolicyDocument = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
    });
    await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: 'p', PolicyDocument }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName }))).AccessKey!;
    return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  }

  const create = (credentials: TestCredentials, FunctionName: string) =>
    new LambdaClient(clientConfig(emulator.url, credentials)).send(
      new CreateFunctionCommand({
        FunctionName,
        Role: role,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: zip(ECHO) },
      }),
    );

  it('needs iam:PassRole on the execution role it hands over, as a role session does', async () => {
    const noPass = await userKey('lambda-only-user', ['lambda:CreateFunction']);
    expect(await awsFailure(create(noPass, 'by-user'))).toEqual({
      code: 'AccessDeniedException',
      status: 403,
      message: `User: arn:aws:iam::000000000000:user/lambda-only-user is not authorized to perform: iam:PassRole on resource: ${role} because no identity-based policy allows the iam:PassRole action`,
    });
    const deployer = await userKey('deployer-user', ['lambda:CreateFunction', 'iam:PassRole']);
    expect((await create(deployer, 'by-user')).FunctionName).toBe('by-user');
  });
});
