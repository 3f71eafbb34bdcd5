import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  type CreateIntegrationCommandInput,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  GetIntegrationCommand,
  GetRouteCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
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
    const bad: Array<Omit<CreateIntegrationCommandInput, 'ApiId'>> = [
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
