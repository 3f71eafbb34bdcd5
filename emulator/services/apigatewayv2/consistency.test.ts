import {
  CreateApiCommand,
  CreateStageCommand,
  UpdateApiCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { apigwClient } from './test-kit.ts';

// §11.4: changes reach a stage through a deployment; with --consistency aws an auto-deployed
// change is served after its delay and the stage serves what it served before meanwhile.
describe('HTTP API changes under --consistency aws', () => {
  let emulator: TestEmulator;
  let apigw: ApiGatewayV2Client;

  beforeAll(async () => {
    emulator = await startTestEmulator({ consistency: 'aws' });
    apigw = apigwClient(emulator.url);
  });
  afterAll(() => emulator?.stop());

  it('serves a CORS change after its delay, the previous CORS meanwhile', async () => {
    const cors = (origin: string) => ({
      AllowOrigins: [origin],
      AllowMethods: ['POST'],
      AllowHeaders: ['content-type'],
    });
    const api = await apigw.send(
      new CreateApiCommand({
        Name: 'delayed',
        ProtocolType: 'HTTP',
        CorsConfiguration: cors('http://one.test'),
      }),
    );
    await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const preflight = (origin: string) =>
      fetch(`${emulator.url}/_aws/execute-api/${api.ApiId}/upload-url`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      }).then(async (r) => ({
        status: r.status,
        origin: r.headers.get('access-control-allow-origin'),
        body: await r.text(),
      }));

    // A new stage serves nothing until its first deployment is live.
    expect(await preflight('http://one.test')).toMatchObject({
      status: 404,
      body: '{"message":"Not Found"}',
    });
    await eventually(async () => ((await preflight('http://one.test')).status === 204 ? true : undefined));

    await apigw.send(new UpdateApiCommand({ ApiId: api.ApiId, CorsConfiguration: cors('http://two.test') }));
    expect(await preflight('http://one.test')).toMatchObject({ status: 204, origin: 'http://one.test' });
    expect((await preflight('http://two.test')).origin).toBeNull();
    await eventually(async () =>
      (await preflight('http://two.test')).origin === 'http://two.test' ? true : undefined,
    );
    expect((await preflight('http://one.test')).origin).toBeNull();
  });
});
