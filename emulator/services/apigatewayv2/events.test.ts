import { request } from 'node:http';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { apigwClient, buildApi, deployFunction, PROBE_SOURCE } from './test-kit.ts';

/** The events a function receives (aws-behavior.md §4.4) and which route a request reaches (§4.2). */
let emulator: TestEmulator;
let client: ApiGatewayV2Client;
let probe: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = apigwClient(emulator.url);
  probe = await deployFunction(emulator.url, 'probe', PROBE_SOURCE);
});
afterAll(() => emulator.stop());

type Event = Record<string, unknown> & {
  requestContext: Record<string, unknown>;
  headers: Record<string, string>;
};

/** Sends a request with raw header lines (duplicates kept) and returns the event the probe saw. */
function send(
  url: string,
  method: string,
  headers: Record<string, string | string[]>,
  body?: Buffer | string,
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; event: Event }>(
    (resolve, reject) => {
      const req = request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            event: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Event,
          }),
        );
      });
      req.on('error', reject);
      req.end(body);
    },
  );
}

describe('payload format 2.0', () => {
  it('carries the request as AWS documents it', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['POST /upload-url'] });
    const res = await send(
      `${api.endpoint}/upload-url?a=1&a=2&b=x%20y`,
      'POST',
      {
        'Content-Type': 'application/json',
        'X-Dup': ['one', 'two'],
        Cookie: 'c1=v1; c2=v2',
        'User-Agent': 'lab-test/1.0',
      },
      '{"filename":"cat.png"}',
    );
    expect(res.status).toBe(200);
    const e = res.event;
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'POST /upload-url',
      rawPath: '/upload-url',
      rawQueryString: 'a=1&a=2&b=x%20y',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2', b: 'x y' },
      body: '{"filename":"cat.png"}',
      isBase64Encoded: false,
    });
    expect(e.headers).toMatchObject({
      'content-type': 'application/json',
      'x-dup': 'one,two',
      'user-agent': 'lab-test/1.0',
    });
    expect(e.headers['cookie']).toBeUndefined();
    expect(Object.keys(e.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(e.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: api.apiId,
      domainName: `${api.apiId}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: api.apiId,
      http: { method: 'POST', path: '/upload-url', protocol: 'HTTP/1.1', userAgent: 'lab-test/1.0' },
      requestId: res.headers['apigw-requestid'],
      routeKey: 'POST /upload-url',
      stage: '$default',
    });
    expect(e.requestContext['time']).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(Date.now() - (e.requestContext['timeEpoch'] as number))).toBeLessThan(60_000);
    expect((e.requestContext['http'] as Record<string, string>)['sourceIp']).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(e).not.toHaveProperty('pathParameters');
    expect(e).not.toHaveProperty('stageVariables');
  });

  it('omits absent optional fields and base64-encodes a binary body', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['ANY /files'] });
    const get = (await send(`${api.endpoint}/files`, 'GET', {})).event;
    for (const field of ['body', 'cookies', 'queryStringParameters', 'pathParameters', 'stageVariables'])
      expect(get).not.toHaveProperty(field);
    expect(get).toMatchObject({ rawQueryString: '', isBase64Encoded: false, routeKey: 'ANY /files' });
    const bytes = Buffer.from([0, 1, 2, 255]);
    const put = (
      await send(`${api.endpoint}/files`, 'PUT', { 'content-type': 'application/octet-stream' }, bytes)
    ).event;
    expect(put).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('keeps the stage prefix in rawPath for a named stage', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['GET /files'], stage: 'prod' });
    const e = (await send(`${api.endpoint}/prod/files`, 'GET', {})).event;
    expect(e).toMatchObject({
      rawPath: '/prod/files',
      requestContext: { stage: 'prod', http: { path: '/prod/files' } },
    });
  });
});

describe('payload format 1.0', () => {
  it('carries the request in the REST API proxy shape', async () => {
    const api = await buildApi(client, {
      functionArn: probe,
      routes: ['GET /pets/{id}'],
      payloadFormatVersion: '1.0',
    });
    const e = (await send(`${api.endpoint}/pets/7?x=1&x=2`, 'GET', { 'X-Dup': ['a', 'b'] })).event;
    expect(e).toMatchObject({
      version: '1.0',
      resource: '/pets/{id}',
      path: '/pets/7',
      httpMethod: 'GET',
      queryStringParameters: { x: '1,2' },
      multiValueQueryStringParameters: { x: ['1', '2'] },
      pathParameters: { id: '7' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { httpMethod: 'GET', stage: '$default', apiId: api.apiId },
    });
    expect((e['multiValueHeaders'] as Record<string, string[]>)['x-dup']).toEqual(['a', 'b']);
  });
});

describe('route selection', () => {
  it('prefers an exact route, then path variables, then {proxy+}, then $default', async () => {
    const api = await buildApi(client, {
      functionArn: probe,
      routes: ['GET /pets/dog', 'GET /pets/{id}', 'ANY /pets/{proxy+}', '$default'],
    });
    const reach = async (method: string, path: string) => {
      const e = (await send(`${api.endpoint}${path}`, method, {})).event;
      return [e['routeKey'], e['pathParameters']];
    };
    expect(await reach('GET', '/pets/dog')).toEqual(['GET /pets/dog', undefined]);
    expect(await reach('GET', '/pets/cat')).toEqual(['GET /pets/{id}', { id: 'cat' }]);
    expect(await reach('GET', '/pets/cat/toys')).toEqual(['ANY /pets/{proxy+}', { proxy: 'cat/toys' }]);
    expect(await reach('DELETE', '/pets/cat')).toEqual(['ANY /pets/{proxy+}', { proxy: 'cat' }]);
    expect(await reach('GET', '/pets')).toEqual(['$default', undefined]);
    expect(await reach('POST', '/anything/else')).toEqual(['$default', undefined]);
  });

  it('matches a method route before ANY on the same path', async () => {
    const api = await buildApi(client, { functionArn: probe, routes: ['ANY /files', 'GET /files'] });
    expect((await send(`${api.endpoint}/files`, 'GET', {})).event['routeKey']).toBe('GET /files');
    expect((await send(`${api.endpoint}/files`, 'POST', {})).event['routeKey']).toBe('ANY /files');
  });
});
