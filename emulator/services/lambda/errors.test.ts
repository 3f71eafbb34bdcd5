import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../test-support/clients.ts';
import { awsFailure, sessionCredentials, stsClient } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { deploy, executionRole, lambdaClient, zip } from './test-kit.ts';

const ECHO = { 'index.mjs': 'export const handler = async (e) => e;' };

/** A zip whose central directory claims its one entry unpacks to `size` bytes. */
function zipClaiming(size: number): Uint8Array {
  const bytes = zip({ 'big.bin': 'x' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < bytes.length - 4; i++)
    if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, size, true);
  return bytes;
}

describe('Lambda control-plane failures', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;
  let role: string;
  const create = (input: Partial<CreateFunctionCommandInput>) =>
    awsFailure(
      client.send(
        new CreateFunctionCommand({
          FunctionName: 'f',
          Role: role,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: zip(ECHO) },
          ...input,
        }),
      ),
    );

  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = lambdaClient(emulator.url);
    role = await executionRole(emulator.url, 'errors-role');
    await deploy(client, { name: 'exists', role, files: ECHO });
  });
  afterAll(() => emulator.stop());

  it('refuses a second function of the same name', async () => {
    expect(await create({ FunctionName: 'exists' })).toEqual({
      code: 'ResourceConflictException',
      status: 409,
      message: 'Function already exist: exists',
    });
  });

  it('validates members like the model does', async () => {
    expect(await create({ Timeout: 901 })).toEqual({
      code: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
    });
    const two = await create({ MemorySize: 64, Runtime: 'nodejs99.x' as never });
    expect(two.code).toBe('ValidationException');
    expect(two.message).toMatch(
      /^2 validation errors detected: Value '64' at 'memorySize' .*; Value 'nodejs99.x' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    );
    expect((await create({ Role: 'not-a-role' })).message).toContain(
      "Value 'not-a-role' at 'role' failed to satisfy constraint",
    );
    const name = await create({ FunctionName: 'bad name!' });
    expect(name.code).toBe('ValidationException');
    expect(name.message).toContain("Value 'bad name!' at 'functionName' failed to satisfy constraint");
    // A plain name that is only too long is refused as InvalidParameterValueException.
    const long = await create({ FunctionName: 'n'.repeat(65) });
    expect(long.code).toBe('InvalidParameterValueException');
    expect(long.message).toBe(
      `1 validation error detected: Value '${'n'.repeat(65)}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    const get = await awsFailure(client.send(new GetFunctionCommand({ FunctionName: 'bad name!' })));
    expect(get).toMatchObject({ code: 'ValidationException', status: 400 });
  });

  it('refuses deprecated runtimes and a missing handler', async () => {
    expect((await create({ Runtime: 'nodejs16.x' })).message).toBe(
      'The runtime parameter of nodejs16.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (nodejs22.x) while creating or updating functions.',
    );
    expect(await create({ Handler: undefined })).toEqual({
      code: 'InvalidParameterValueException',
      status: 400,
      message: 'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    });
  });

  it('refuses a role that does not exist or does not trust Lambda', async () => {
    const expected = {
      code: 'InvalidParameterValueException',
      status: 400,
      message: 'The role defined for the function cannot be assumed by Lambda.',
    };
    expect(await create({ Role: 'arn:aws:iam::000000000000:role/nobody' })).toEqual(expected);
    const iam = new IAMClient(clientConfig(emulator.url));
    const ec2 = await iam.send(
      new CreateRoleCommand({
        RoleName: 'ec2-only',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    expect(await create({ Role: ec2.Role!.Arn! })).toEqual(expected);
  });

  it('refuses packages that are not zips, escape their folder, or unpack past 250 MB', async () => {
    const unzip = 'Could not unzip uploaded file. Please check your file, then try to upload again.';
    expect(await create({ Code: { ZipFile: new TextEncoder().encode('not a zip at all') } })).toEqual({
      code: 'InvalidParameterValueException',
      status: 400,
      message: unzip,
    });
    expect((await create({ Code: { ZipFile: zip({ '../evil.js': 'x' }) } })).message).toBe(unzip);
    expect((await create({ Code: { ZipFile: zip({ '/etc/evil.js': 'x' }) } })).message).toBe(unzip);
    expect((await create({ Code: { ZipFile: zipClaiming(300_000_000) } })).message).toBe(
      'Unzipped size must be smaller than 262144000 bytes',
    );
    expect((await create({ Code: {} })).message).toBe('Please provide a source for function code.');
  });

  it('refuses reserved and oversized environment variables', async () => {
    expect((await create({ Environment: { Variables: { AWS_REGION: 'x', FOO: 'y' } } })).message).toBe(
      'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION',
    );
    const big = await create({ Environment: { Variables: { BIG: 'x'.repeat(5000) } } });
    expect(big.code).toBe('InvalidParameterValueException');
    expect(big.message).toMatch(/exceeded the 4KB limit/);
  });

  it('answers 404 for unknown functions, other regions and versions', async () => {
    expect(await awsFailure(client.send(new GetFunctionCommand({ FunctionName: 'nope' })))).toEqual({
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
    });
    const region = await awsFailure(
      client.send(
        new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:exists' }),
      ),
    );
    expect(region).toEqual({
      code: 'ResourceNotFoundException',
      status: 404,
      message: "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
    });
    const version = await awsFailure(
      client.send(new GetFunctionCommand({ FunctionName: 'exists', Qualifier: '1' })),
    );
    expect(version.message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:exists:1',
    );
  });

  it('authorizes role sessions: the operation, its function ARN, and iam:PassRole on create', async () => {
    const iam = new IAMClient(clientConfig(emulator.url));
    const caller = await iam.send(
      new CreateRoleCommand({
        RoleName: 'deployer',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::000000000000:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'deployer',
        PolicyName: 'lambda-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['lambda:GetFunction', 'lambda:CreateFunction'], Resource: '*' },
          ],
        }),
      }),
    );
    const session = await stsClient(emulator.url).send(
      new AssumeRoleCommand({ RoleArn: caller.Role!.Arn!, RoleSessionName: 'ci' }),
    );
    const asDeployer = new LambdaClient(clientConfig(emulator.url, sessionCredentials(session)));
    expect(
      (await asDeployer.send(new GetFunctionCommand({ FunctionName: 'exists' }))).Configuration?.FunctionName,
    ).toBe('exists');
    const denied = await awsFailure(
      asDeployer.send(
        new CreateFunctionCommand({
          FunctionName: 'x',
          Role: role,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: zip(ECHO) },
        }),
      ),
    );
    expect(denied).toEqual({
      code: 'AccessDeniedException',
      status: 403,
      message: `User: arn:aws:sts::000000000000:assumed-role/deployer/ci is not authorized to perform: iam:PassRole on resource: ${role} because no identity-based policy allows the iam:PassRole action`,
    });
    const invoke = await awsFailure(asDeployer.send(new InvokeCommand({ FunctionName: 'exists' })));
    expect(invoke).toEqual({
      code: 'AccessDeniedException',
      status: 403,
      message:
        'User: arn:aws:sts::000000000000:assumed-role/deployer/ci is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:exists because no identity-based policy allows the lambda:InvokeFunction action',
    });
  });
});
