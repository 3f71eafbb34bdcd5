import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  GetApiCommand,
  GetApisCommand,
  GetIntegrationCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:ticket';
let emulator: TestEmulator;
let client: ApiGatewayV2Client;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = new ApiGatewayV2Client(clientConfig(emulator.url));
});
afterAll(() => emulator.stop());

/** The error an SDK call rejects with: name, message and HTTP status. */
async function failure(promise: Promise<unknown>) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata: { httpStatusCode: number } } | undefined;
  if (!err) throw new Error('expected the call to fail');
  return { name: err.name, message: err.message, status: err.$metadata.httpStatusCode };
}

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

describe('routes, integrations and stages', () => {
  it('creates, gets, updates and deletes them', async () => {
    const api = await newApi();
    const integration = await client.send(
      new CreateIntegrationCommand({
        ApiId: api.ApiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: FN,
        PayloadFormatVersion: '2.0',
      }),
    );
    expect(integration.$metadata.httpStatusCode).toBe(201);
    expect(integration).toMatchObject({
      IntegrationMethod: 'POST',
      TimeoutInMillis: 30000,
      ConnectionType: 'INTERNET',
    });
    expect(integration.IntegrationId).toMatch(/^[a-z0-9]{7}$/);
    const target = `integrations/${integration.IntegrationId}`;
    const route = await client.send(
      new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'POST /upload-url', Target: target }),
    );
    expect(route).toMatchObject({ RouteKey: 'POST /upload-url', Target: target, AuthorizationType: 'NONE' });
    expect(route.RouteId).toMatch(/^[a-z0-9]{7}$/);
    expect(
      await client.send(new GetRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId })),
    ).toMatchObject({
      RouteKey: 'POST /upload-url',
    });
    const moved = await client.send(
      new UpdateRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteKey: 'POST /tickets' }),
    );
    expect(moved.RouteKey).toBe('POST /tickets');
    expect(
      await client.send(
        new GetIntegrationCommand({ ApiId: api.ApiId, IntegrationId: integration.IntegrationId }),
      ),
    ).toMatchObject({
      IntegrationUri: FN,
    });
    const stage = await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod' }));
    expect(stage).toMatchObject({ StageName: 'prod', AutoDeploy: false });
    expect(stage.DeploymentId).toBeUndefined();
    const deployment = await client.send(
      new CreateDeploymentCommand({ ApiId: api.ApiId, StageName: 'prod' }),
    );
    expect(deployment.$metadata.httpStatusCode).toBe(201);
    expect(
      (await client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'prod' }))).DeploymentId,
    ).toBe(deployment.DeploymentId);
    const auto = await client.send(
      new UpdateStageCommand({ ApiId: api.ApiId, StageName: 'prod', AutoDeploy: true }),
    );
    expect(auto.AutoDeploy).toBe(true);
    expect(
      (await client.send(new GetStagesCommand({ ApiId: api.ApiId }))).Items?.map((s) => s.StageName),
    ).toEqual(['prod']);
    expect(
      await failure(
        client.send(
          new DeleteIntegrationCommand({ ApiId: api.ApiId, IntegrationId: integration.IntegrationId }),
        ),
      ),
    ).toMatchObject({ name: 'ConflictException', status: 409 });
    await client.send(new DeleteRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId }));
    await client.send(
      new DeleteIntegrationCommand({ ApiId: api.ApiId, IntegrationId: integration.IntegrationId }),
    );
    await client.send(new DeleteStageCommand({ ApiId: api.ApiId, StageName: 'prod' }));
    expect(await failure(client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'prod' })))).toEqual({
      name: 'NotFoundException',
      message: 'Invalid stage identifier specified',
      status: 404,
    });
    expect(
      await failure(client.send(new GetRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId }))),
    ).toMatchObject({
      name: 'NotFoundException',
      status: 404,
    });
  });

  it.each(['POST upload-url', 'FETCH /x', 'POST /a//b', 'GET /{proxy+}/x', 'GET /a{b}', 'default'])(
    'refuses the route key %s with 400',
    async (routeKey) => {
      const api = await newApi();
      expect(
        await failure(client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: routeKey }))),
      ).toMatchObject({
        name: 'BadRequestException',
        status: 400,
      });
    },
  );

  it('answers 409 ConflictException for a duplicate route key and a conflicting path variable', async () => {
    const api = await newApi();
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /pets/{id}' }));
    expect(
      await failure(client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /pets/{id}' }))),
    ).toMatchObject({
      name: 'ConflictException',
      status: 409,
    });
    const clash = await failure(
      client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'DELETE /pets/{petId}' })),
    );
    expect(clash).toMatchObject({ name: 'ConflictException', status: 409 });
    expect(clash.message).toContain('conflicting variable');
  });

  it('refuses integrations HTTP APIs do not take, and a target that is not an integration', async () => {
    const api = await newApi();
    const bad = [
      { IntegrationType: 'AWS', IntegrationUri: FN, PayloadFormatVersion: '2.0' },
      { IntegrationType: 'AWS_PROXY', IntegrationUri: 'not-an-arn', PayloadFormatVersion: '2.0' },
      { IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '3.0' },
      {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: FN,
        PayloadFormatVersion: '2.0',
        TimeoutInMillis: 31000,
      },
    ];
    for (const input of bad)
      expect(
        await failure(client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, ...input }))),
      ).toMatchObject({
        name: 'BadRequestException',
        status: 400,
      });
    expect(
      await failure(
        client.send(
          new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$default', Target: 'integrations/abc1234' }),
        ),
      ),
    ).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  it('tags APIs and stages by ARN', async () => {
    const api = await newApi({ Tags: { a: '1' } });
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev', Tags: { s: '1' } }));
    const apiArn = `arn:aws:apigateway:us-east-1::/apis/${api.ApiId}`;
    const tagged = await client.send(new TagResourceCommand({ ResourceArn: apiArn, Tags: { b: '2' } }));
    expect(tagged.$metadata.httpStatusCode).toBe(201);
    await client.send(new UntagResourceCommand({ ResourceArn: apiArn, TagKeys: ['a'] }));
    expect((await client.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags).toEqual({ b: '2' });
    expect((await client.send(new GetTagsCommand({ ResourceArn: `${apiArn}/stages/dev` }))).Tags).toEqual({
      s: '1',
    });
    expect(
      await failure(
        client.send(new GetTagsCommand({ ResourceArn: 'arn:aws:apigateway:us-east-1::/apis/nope000000' })),
      ),
    ).toMatchObject({ name: 'NotFoundException', status: 404 });
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
