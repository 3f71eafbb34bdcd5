import {
  ApiGatewayV2Client,
  CreateApiCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  GetApiCommand,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { failure } from './test-kit.ts';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:ticket';
let emulator: TestEmulator;
let client: ApiGatewayV2Client;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = new ApiGatewayV2Client(clientConfig(emulator.url));
});
afterAll(() => emulator.stop());

const newApi = (extra: Partial<ConstructorParameters<typeof CreateApiCommand>[0]> = {}) =>
  client.send(new CreateApiCommand({ Name: 'lab-api', ProtocolType: 'HTTP', ...extra }));

describe('APIs', () => {
  it('creates an HTTP API whose endpoint follows the emulator URL, and gets, lists, updates and deletes it', async () => {
    const api = await newApi({ Description: 'first', Tags: { lab: 'presigned-upload-lab' } });
    expect(api.$metadata.httpStatusCode).toBe(201);
    expect(api.ApiId).toMatch(/^[a-z0-9]{10}$/);
    expect(api.ApiEndpoint).toBe(`${emulator.url}/_aws/execute-api/${api.ApiId}`);
    expect(api.RouteSelectionExpression).toBe('$request.method $request.path');
    expect(api.CreatedDate).toBeInstanceOf(Date);
    const got = await client.send(new GetApiCommand({ ApiId: api.ApiId }));
    expect(got).toMatchObject({
      Name: 'lab-api',
      Description: 'first',
      Tags: { lab: 'presigned-upload-lab' },
    });
    const listed = await client.send(new GetApisCommand({}));
    expect(listed.Items?.map((a) => a.ApiId)).toContain(api.ApiId);
    const renamed = await client.send(new UpdateApiCommand({ ApiId: api.ApiId, Name: 'renamed' }));
    expect(renamed).toMatchObject({ Name: 'renamed', Description: 'first' });
    const deleted = await client.send(new DeleteApiCommand({ ApiId: api.ApiId }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await failure(client.send(new GetApiCommand({ ApiId: api.ApiId! })))).toEqual({
      name: 'NotFoundException',
      message: `Invalid API identifier specified 000000000000:${api.ApiId}`,
      status: 404,
    });
  });

  it('pages GetApis with maxResults and nextToken', async () => {
    for (let i = 0; i < 3; i++) await newApi({ Name: `page-${i}` });
    const first = await client.send(new GetApisCommand({ MaxResults: '2' }));
    expect(first.Items).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    const rest = await client.send(new GetApisCommand({ MaxResults: '100', NextToken: first.NextToken }));
    const ids = [...first.Items!, ...rest.Items!].map((a) => a.ApiId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(rest.NextToken).toBeUndefined();
  });

  it('sets, replaces and deletes the CORS configuration', async () => {
    const cors = {
      AllowOrigins: ['http://localhost:5173'],
      AllowMethods: ['POST'],
      AllowHeaders: ['content-type'],
    };
    const api = await newApi({ CorsConfiguration: { ...cors, MaxAge: 300 } });
    expect(api.CorsConfiguration).toEqual({ ...cors, MaxAge: 300 });
    const replaced = await client.send(
      new UpdateApiCommand({
        ApiId: api.ApiId,
        CorsConfiguration: { AllowOrigins: ['https://*'], AllowCredentials: true },
      }),
    );
    expect(replaced.CorsConfiguration).toEqual({ AllowOrigins: ['https://*'], AllowCredentials: true });
    const gone = await client.send(new DeleteCorsConfigurationCommand({ ApiId: api.ApiId }));
    expect(gone.$metadata.httpStatusCode).toBe(204);
    expect((await client.send(new GetApiCommand({ ApiId: api.ApiId }))).CorsConfiguration).toBeUndefined();
  });

  it.each([
    [
      { AllowOrigins: ['*'], AllowCredentials: true },
      "allow-credentials is not supported if 'allow-origin' is *",
    ],
    [{ AllowOrigins: ['https://*.example.com'] }, 'https://*.example.com'],
    [{ AllowOrigins: ['https:/'] }, 'https:/'],
    [{ AllowOrigins: ['http://localhost:5173/app'] }, 'http://localhost:5173/app'],
    [{ AllowMethods: ['FETCH'] }, 'FETCH'],
    [{ MaxAge: 100000 }, 'maxAge'],
  ])('refuses the CORS configuration %j with 400 BadRequestException', async (cors, text) => {
    const created = await failure(newApi({ CorsConfiguration: cors }));
    expect(created).toMatchObject({ name: 'BadRequestException', status: 400 });
    expect(created.message).toContain(text);
    const api = await newApi();
    expect(
      await failure(client.send(new UpdateApiCommand({ ApiId: api.ApiId, CorsConfiguration: cors }))),
    ).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  it('refuses a WebSocket API and a missing name', async () => {
    expect(await failure(newApi({ ProtocolType: 'WEBSOCKET' }))).toMatchObject({
      name: 'BadRequestException',
    });
    expect(await failure(newApi({ Name: '' }))).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  it('quick-creates the integration, the route and an auto-deploying $default stage', async () => {
    const api = await newApi({ Target: FN, RouteKey: 'POST /upload-url' });
    const [integration] = (await client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    expect(integration).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: FN,
      PayloadFormatVersion: '2.0',
      ApiGatewayManaged: true,
    });
    const [route] = (await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    expect(route).toMatchObject({
      RouteKey: 'POST /upload-url',
      Target: `integrations/${integration!.IntegrationId}`,
    });
    const stage = await client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    expect(stage).toMatchObject({ AutoDeploy: true, ApiGatewayManaged: true });
    expect(stage.DeploymentId).toBeTruthy();
  });
});

describe('the service', () => {
  it('keeps its state across a restart', async () => {
    const api = await newApi({ Name: 'durable', Target: FN });
    await emulator.stopKeepingData();
    emulator = await startTestEmulator({ dataDir: emulator.dataDir });
    client = new ApiGatewayV2Client(clientConfig(emulator.url));
    expect((await client.send(new GetApiCommand({ ApiId: api.ApiId }))).Name).toBe('durable');
    expect((await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items).toHaveLength(1);
  });

  it('authorizes a role session as apigateway:<METHOD> on arn:aws:apigateway:<region>::/<path>', async () => {
    const iam = new IAMClient(clientConfig(emulator.url));
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: 'api-reader',
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
        RoleName: 'api-reader',
        PolicyName: 'read-apis',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'apigateway:GET', Resource: 'arn:aws:apigateway:us-east-1::/apis*' },
          ],
        }),
      }),
    );
    const sts = new STSClient(clientConfig(emulator.url));
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: 'reader' }),
    );
    const reader = new ApiGatewayV2Client(
      clientConfig(emulator.url, {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      }),
    );
    expect((await reader.send(new GetApisCommand({}))).$metadata.httpStatusCode).toBe(200);
    const denied = await failure(reader.send(new CreateApiCommand({ Name: 'nope', ProtocolType: 'HTTP' })));
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(denied.message).toContain('apigateway:POST on resource: arn:aws:apigateway:us-east-1::/apis');
  });

  it('refuses unsigned requests and wrong keys', async () => {
    const unsigned = await fetch(`${emulator.url}/v2/apis`, {
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/apigateway/aws4_request',
      },
    });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    const wrong = new ApiGatewayV2Client(
      clientConfig(emulator.url, { accessKeyId: 'test', secretAccessKey: 'wrong' }),
    );
    expect((await failure(wrong.send(new GetApisCommand({})))).status).toBe(403);
  });
});
