import {
  type ApiGatewayV2Client,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  GetApiCommand,
  GetApisCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  TagResourceCommand,
  UpdateApiCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../../test-support/aws-cli.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { apigwClient, failure } from './test-kit.ts';

/** HTTP APIs are regional: a client signed for one region never sees another region's APIs. */

const EU = 'eu-west-1';
const TARGET = `arn:aws:lambda:${EU}:000000000000:function:nowhere`;
const notFound = (apiId: string) => ({
  name: 'NotFoundException',
  status: 404,
  message: `Invalid API identifier specified 000000000000:${apiId}`,
});

let emulator: TestEmulator;
let us: ApiGatewayV2Client;
let eu: ApiGatewayV2Client;
let euApi: { id: string; routeId: string; integrationId: string };

beforeAll(async () => {
  emulator = await startTestEmulator();
  us = apigwClient(emulator.url);
  eu = apigwClient(emulator.url, EU);
  // Quick create: the API gets a route, an integration, an auto-deploying $default stage and a deployment.
  const api = await eu.send(
    new CreateApiCommand({
      Name: 'eu-api',
      ProtocolType: 'HTTP',
      Target: TARGET,
      CorsConfiguration: { AllowOrigins: ['http://localhost:5173'] },
      Tags: { lab: 'regions' },
    }),
  );
  const routes = await eu.send(new GetRoutesCommand({ ApiId: api.ApiId }));
  const integrations = await eu.send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
  euApi = {
    id: api.ApiId!,
    routeId: routes.Items![0]!.RouteId!,
    integrationId: integrations.Items![0]!.IntegrationId!,
  };
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
});

const idsOf = async (client: ApiGatewayV2Client) =>
  ((await client.send(new GetApisCommand({}))).Items ?? []).map((a) => a.ApiId);

describe('an HTTP API of another region', () => {
  it('is listed in its own region only, with its own endpoint', async () => {
    const usApi = await us.send(new CreateApiCommand({ Name: 'us-api', ProtocolType: 'HTTP' }));
    expect(usApi.ApiId).not.toBe(euApi.id);
    expect(await idsOf(eu)).toContain(euApi.id);
    expect(await idsOf(eu)).not.toContain(usApi.ApiId);
    expect(await idsOf(us)).toContain(usApi.ApiId);
    expect(await idsOf(us)).not.toContain(euApi.id);
    const got = await eu.send(new GetApiCommand({ ApiId: euApi.id }));
    expect(got.ApiEndpoint).toBe(`${emulator.url}/_aws/execute-api/${euApi.id}`);
  });

  it('answers NotFoundException 404 from another region, exactly as an unknown id', async () => {
    const unknown = await failure(us.send(new GetApiCommand({ ApiId: 'zzzzzzzzzz' })));
    expect(unknown).toEqual(notFound('zzzzzzzzzz'));
    const ApiId = euApi.id;
    const { routeId: RouteId, integrationId: IntegrationId } = euApi;
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['GetApi', () => us.send(new GetApiCommand({ ApiId }))],
      ['UpdateApi', () => us.send(new UpdateApiCommand({ ApiId, Name: 'stolen' }))],
      ['DeleteCorsConfiguration', () => us.send(new DeleteCorsConfigurationCommand({ ApiId }))],
      ['GetRoutes', () => us.send(new GetRoutesCommand({ ApiId }))],
      ['GetRoute', () => us.send(new GetRouteCommand({ ApiId, RouteId }))],
      ['CreateRoute', () => us.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /stolen' }))],
      ['UpdateRoute', () => us.send(new UpdateRouteCommand({ ApiId, RouteId, RouteKey: 'GET /x' }))],
      ['DeleteRoute', () => us.send(new DeleteRouteCommand({ ApiId, RouteId }))],
      ['GetIntegrations', () => us.send(new GetIntegrationsCommand({ ApiId }))],
      ['GetIntegration', () => us.send(new GetIntegrationCommand({ ApiId, IntegrationId }))],
      [
        'CreateIntegration',
        () =>
          us.send(
            new CreateIntegrationCommand({
              ApiId,
              IntegrationType: 'AWS_PROXY',
              IntegrationUri: TARGET,
              PayloadFormatVersion: '2.0',
            }),
          ),
      ],
      [
        'UpdateIntegration',
        () => us.send(new UpdateIntegrationCommand({ ApiId, IntegrationId, TimeoutInMillis: 1000 })),
      ],
      ['GetStages', () => us.send(new GetStagesCommand({ ApiId }))],
      ['GetStage', () => us.send(new GetStageCommand({ ApiId, StageName: '$default' }))],
      ['CreateStage', () => us.send(new CreateStageCommand({ ApiId, StageName: 'stolen' }))],
      ['UpdateStage', () => us.send(new UpdateStageCommand({ ApiId, StageName: '$default' }))],
      ['DeleteStage', () => us.send(new DeleteStageCommand({ ApiId, StageName: '$default' }))],
      ['GetDeployments', () => us.send(new GetDeploymentsCommand({ ApiId }))],
      ['CreateDeployment', () => us.send(new CreateDeploymentCommand({ ApiId }))],
      ['DeleteApi', () => us.send(new DeleteApiCommand({ ApiId }))],
    ];
    for (const [operation, call] of calls)
      expect({ operation, ...(await failure(call())) }).toEqual({ operation, ...notFound(ApiId) });

    // Nothing of it changed: the API is whole in its own region.
    const api = await eu.send(new GetApiCommand({ ApiId }));
    expect(api).toMatchObject({
      Name: 'eu-api',
      CorsConfiguration: { AllowOrigins: ['http://localhost:5173'] },
    });
    expect((await eu.send(new GetRoutesCommand({ ApiId }))).Items?.map((r) => r.RouteKey)).toEqual([
      '$default',
    ]);
    expect((await eu.send(new GetIntegrationsCommand({ ApiId }))).Items?.[0]?.TimeoutInMillis).toBe(30000);
    expect((await eu.send(new GetStagesCommand({ ApiId }))).Items?.map((s) => s.StageName)).toEqual([
      '$default',
    ]);
  });

  it('has tags only under its own region', async () => {
    const euArn = `arn:aws:apigateway:${EU}::/apis/${euApi.id}`;
    const usArn = `arn:aws:apigateway:us-east-1::/apis/${euApi.id}`;
    for (const [client, arn] of [
      [us, euArn],
      [us, usArn],
      [eu, usArn],
    ] as const) {
      const refused = await failure(client.send(new GetTagsCommand({ ResourceArn: arn })));
      expect(refused).toEqual({
        name: 'NotFoundException',
        status: 404,
        message: `Invalid resource identifier specified ${arn}`,
      });
    }
    await failure(us.send(new TagResourceCommand({ ResourceArn: euArn, Tags: { stolen: 'yes' } })));
    expect((await eu.send(new GetTagsCommand({ ResourceArn: euArn }))).Tags).toEqual({ lab: 'regions' });
  });

  it('can be deleted from its own region', async () => {
    const api = await eu.send(new CreateApiCommand({ Name: 'short-lived', ProtocolType: 'HTTP' }));
    await eu.send(new DeleteApiCommand({ ApiId: api.ApiId }));
    expect(await failure(eu.send(new GetApiCommand({ ApiId: api.ApiId })))).toEqual(notFound(api.ApiId!));
    expect(await idsOf(eu)).not.toContain(api.ApiId);
  });
});

describe.skipIf(!hasAwsCli)('the AWS CLI with --region', () => {
  it('lists and reads an API in its region only', async () => {
    const list = async (region: string) => {
      const out = await runAws(emulator.url, ['--region', region, 'apigatewayv2', 'get-apis']);
      expect(out.code, out.stderr).toBe(0);
      return (JSON.parse(out.stdout) as { Items: Array<{ ApiId: string }> }).Items.map((a) => a.ApiId);
    };
    expect(await list(EU)).toContain(euApi.id);
    expect(await list('us-east-1')).not.toContain(euApi.id);
    const own = await runAws(emulator.url, ['--region', EU, 'apigatewayv2', 'get-api', '--api-id', euApi.id]);
    expect(own.code, own.stderr).toBe(0);
    expect(JSON.parse(own.stdout)).toMatchObject({ ApiId: euApi.id, Name: 'eu-api' });
    const other = await runAws(emulator.url, [
      '--region',
      'us-east-1',
      'apigatewayv2',
      'get-api',
      '--api-id',
      euApi.id,
    ]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('(NotFoundException)');
    expect(other.stderr).toContain(`Invalid API identifier specified 000000000000:${euApi.id}`);
  });
});
