import { request } from 'node:http';
import { AddPermissionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { UpdateApiCommand, type ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { apigwClient, buildApi, deployFunction, PROBE_SOURCE, probeResult } from './test-kit.ts';

/** Every failure a client of the HTTP API sees (aws-behavior.md §4.6, §4.7), plus the 10 MB body limit. */
let emulator: TestEmulator;
let client: ApiGatewayV2Client;
let probe: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = apigwClient(emulator.url);
  probe = await deployFunction(emulator.url, 'probe', PROBE_SOURCE);
});
afterAll(() => emulator.stop());

/** Checks a gateway-made error: status, JSON body, content-type and request id. */
async function expectGatewayError(res: Response, status: number, message: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('apigw-requestid')).toBeTruthy();
  expect(await res.json()).toEqual({ message });
}

describe('§4.6 failure cases', () => {
  it('works when nothing is wrong (the baseline the failures below differ from)', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['POST /upload-url'] });
    const res = await fetch(`${api.endpoint}/upload-url`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect((await res.json()) as unknown).toMatchObject({ routeKey: 'POST /upload-url' });
  });

  it('answers 500 Internal Server Error when the resource policy does not allow API Gateway', async () => {
    const bare = await deployFunction(emulator.url, 'no-permission', PROBE_SOURCE, { permit: false });
    const api = await buildApi(client, { functionArn: bare, routes: ['POST /upload-url'] });
    await expectGatewayError(
      await fetch(`${api.endpoint}/upload-url`, { method: 'POST' }),
      500,
      'Internal Server Error',
    );
    // A permission for another route does not help; the documented fix does.
    const lambda = new LambdaClient(clientConfig(emulator.url));
    const base = `arn:aws:execute-api:us-east-1:000000000000:${api.apiId}`;
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'no-permission',
        StatementId: 'other-route',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `${base}/*/*/files`,
      }),
    );
    expect((await fetch(`${api.endpoint}/upload-url`, { method: 'POST' })).status).toBe(500);
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'no-permission',
        StatementId: 'upload-route',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `${base}/*/*/upload-url`,
      }),
    );
    expect((await fetch(`${api.endpoint}/upload-url`, { method: 'POST' })).status).toBe(200);
  });

  it('answers 500 Internal Server Error when the function throws', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['POST /upload-url'] });
    const res = await fetch(`${api.endpoint}/upload-url`, { method: 'POST', headers: { 'x-mode': 'throw' } });
    await expectGatewayError(res, 500, 'Internal Server Error');
  });

  it('answers 500 when the function runs past its own timeout (a function error)', async () => {
    const slow = await deployFunction(emulator.url, 'short-timeout', PROBE_SOURCE, { timeout: 1 });
    const api = await buildApi(client, { functionArn: slow, routes: ['GET /slow'] });
    const res = await fetch(`${api.endpoint}/slow`, { headers: { 'x-sleep-ms': '3000' } });
    await expectGatewayError(res, 500, 'Internal Server Error');
  });

  it('answers 503 Service Unavailable when the integration times out', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['GET /slow'], timeoutInMillis: 300 });
    const res = await fetch(`${api.endpoint}/slow`, { headers: { 'x-sleep-ms': '2000' } });
    await expectGatewayError(res, 503, 'Service Unavailable');
  });

  it('answers 404 Not Found when no route matches, and for an unknown API', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['POST /upload-url'] });
    await expectGatewayError(await fetch(`${api.endpoint}/upload-url`), 404, 'Not Found');
    await expectGatewayError(await fetch(`${api.endpoint}/elsewhere`, { method: 'POST' }), 404, 'Not Found');
    await expectGatewayError(await fetch(`${emulator.url}/_aws/execute-api/nosuchapi0/x`), 404, 'Not Found');
  });

  it.each([
    ['a non-integer statusCode', { statusCode: 'OK', body: 'x' }],
    ['a body that is not a string', { statusCode: 200, body: { a: 1 } }],
    ['headers that are not an object', { statusCode: 200, headers: 'x' }],
  ])('answers 500 for a malformed result: %s', async (_why, result) => {
    const api = await buildApi(client, { functionArn: probe, routes: ['GET /bad'] });
    await expectGatewayError(
      await fetch(`${api.endpoint}/bad`, { headers: probeResult(result) }),
      500,
      'Internal Server Error',
    );
  });

  it('answers 403 Forbidden when the execute-api endpoint is disabled', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['GET /x'] });
    await client.send(new UpdateApiCommand({ ApiId: api.apiId, DisableExecuteApiEndpoint: true }));
    await expectGatewayError(await fetch(`${api.endpoint}/x`), 403, 'Forbidden');
  });
});

describe('the 10 MB request limit', () => {
  const LIMIT = 10 * 1024 * 1024;

  it('lets a body of exactly 10 MB through the gateway', async () => {
    // The function does not exist: the 500 shows the body was read whole and went on to the integration.
    const missing = 'arn:aws:lambda:us-east-1:000000000000:function:does-not-exist';
    const api = await buildApi(client, { functionArn: missing, routes: ['POST /upload'] });
    const res = await fetch(`${api.endpoint}/upload`, { method: 'POST', body: Buffer.alloc(LIMIT, 1) });
    await expectGatewayError(res, 500, 'Internal Server Error');
  });

  it('refuses a larger body with 413, whether it declares its length or is chunked', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['POST /upload'] });
    const declared = await fetch(`${api.endpoint}/upload`, { method: 'POST', body: Buffer.alloc(LIMIT + 1) });
    await expectGatewayError(declared, 413, 'Request Entity Too Large');
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${api.endpoint}/upload`, { method: 'POST' }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < 11; i++) req.write(chunk);
      req.end();
    });
    expect(chunked).toEqual({ status: 413, body: '{"message":"Request Entity Too Large"}' });
  });
});
