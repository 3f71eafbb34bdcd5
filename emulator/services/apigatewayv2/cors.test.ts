import { DeleteCorsConfigurationCommand, type ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { apigwClient, buildApi, corsHeadersOf } from './test-kit.ts';

/**
 * CORS as the gateway does it (aws-behavior.md §4.3, §4.7). The integration points at a function
 * that does not exist, so anything that reaches it answers 500: that tells "the gateway answered"
 * from "the request was routed".
 */
const ORIGIN = 'http://localhost:5173';
const MISSING_FN = 'arn:aws:lambda:us-east-1:000000000000:function:does-not-exist';
const LAB_CORS = {
  AllowOrigins: [ORIGIN],
  AllowMethods: ['POST', 'GET'],
  AllowHeaders: ['content-type'],
  ExposeHeaders: ['x-request-id'],
  MaxAge: 600,
};

let emulator: TestEmulator;
let client: ApiGatewayV2Client;
beforeAll(async () => {
  emulator = await startTestEmulator();
  client = apigwClient(emulator.url);
});
afterAll(() => emulator.stop());

const preflight = (url: string, origin: string, method = 'POST', headers = 'content-type') =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

describe('preflight answered by the gateway', () => {
  it('answers an allowed preflight with 204, no body and the configured lists', async () => {
    const api = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: LAB_CORS,
    });
    const res = await preflight(`${api.endpoint}/upload-url`, ORIGIN, 'POST', 'Content-Type');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('content-type')).toBeNull();
    expect(res.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(corsHeadersOf(res)).toEqual({
      'access-control-allow-origin': ORIGIN,
      'access-control-allow-methods': 'POST,GET',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
      vary: 'origin',
    });
  });

  it('answers a preflight for a path without any route (no OPTIONS route needed)', async () => {
    const api = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: LAB_CORS,
    });
    expect((await preflight(`${api.endpoint}/elsewhere`, ORIGIN)).status).toBe(204);
  });

  it.each([
    ['an origin not allowed', 'http://evil.example', 'POST', 'content-type'],
    ['a scheme that differs', 'https://localhost:5173', 'POST', 'content-type'],
    ['a method not allowed', ORIGIN, 'DELETE', 'content-type'],
    ['a header not allowed', ORIGIN, 'POST', 'content-type,x-api-key'],
  ])('does not treat %s as a preflight: 404, no CORS headers', async (_why, origin, method, headers) => {
    const api = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: LAB_CORS,
    });
    const res = await preflight(`${api.endpoint}/upload-url`, origin, method, headers);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
    expect(corsHeadersOf(res)).toEqual({});
  });

  it('matches origins case-insensitively and echoes the one sent', async () => {
    const api = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: LAB_CORS,
    });
    const res = await preflight(`${api.endpoint}/upload-url`, 'HTTP://LOCALHOST:5173');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('HTTP://LOCALHOST:5173');
  });

  it('answers * for a wildcard configuration, and honours https://* and credentials', async () => {
    const any = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: { AllowOrigins: ['*'], AllowMethods: ['*'], AllowHeaders: ['*'] },
    });
    const res = await preflight(`${any.endpoint}/upload-url`, ORIGIN, 'PUT', 'x-anything');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('vary')).toBeNull();
    const secure = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: {
        AllowOrigins: ['https://*'],
        AllowMethods: ['POST'],
        AllowHeaders: ['content-type'],
        AllowCredentials: true,
      },
    });
    const ok = await preflight(`${secure.endpoint}/upload-url`, 'https://app.example.com');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await preflight(`${secure.endpoint}/upload-url`, 'http://app.example.com')).status).toBe(404);
  });

  it('adds nothing without a CORS configuration: OPTIONS is routed like any method', async () => {
    const api = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: LAB_CORS,
    });
    await client.send(new DeleteCorsConfigurationCommand({ ApiId: api.apiId }));
    const res = await preflight(`${api.endpoint}/upload-url`, ORIGIN);
    expect(res.status).toBe(404);
    expect(corsHeadersOf(res)).toEqual({});
  });

  it('needs Access-Control-Request-Method: a bare OPTIONS with Origin is an ordinary request', async () => {
    const api = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: LAB_CORS,
    });
    const res = await fetch(`${api.endpoint}/upload-url`, { method: 'OPTIONS', headers: { origin: ORIGIN } });
    expect(res.status).toBe(404);
  });

  it('routes a preflight to an ANY or $default route, keeping the gateway CORS headers', async () => {
    for (const routes of [['ANY /{proxy+}'], ['$default']]) {
      const api = await buildApi(client, { functionArn: MISSING_FN, routes, cors: LAB_CORS });
      const res = await preflight(`${api.endpoint}/upload-url`, ORIGIN);
      expect(res.status).toBe(500);
      expect(res.headers.get('access-control-allow-methods')).toBe('POST,GET');
    }
  });

  it('serves a named stage under its name', async () => {
    const api = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: LAB_CORS,
      stage: 'prod',
    });
    expect((await preflight(`${api.endpoint}/prod/upload-url`, ORIGIN)).status).toBe(204);
    const noDefault = await fetch(`${api.endpoint}/upload-url`, { method: 'POST' });
    expect(noDefault.status).toBe(404);
  });
});

describe('CORS headers on actual requests', () => {
  it('puts allow-origin, expose-headers and vary on gateway answers for an allowed origin', async () => {
    const api = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: { ...LAB_CORS, AllowCredentials: true },
    });
    const res = await fetch(`${api.endpoint}/upload-url`, {
      method: 'POST',
      headers: { origin: ORIGIN },
      body: '{}',
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    expect(corsHeadersOf(res)).toEqual({
      'access-control-allow-origin': ORIGIN,
      'access-control-expose-headers': 'x-request-id',
      'access-control-allow-credentials': 'true',
      vary: 'origin',
    });
    const missing = await fetch(`${api.endpoint}/nowhere`, { headers: { origin: ORIGIN } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('adds nothing for an origin not allowed, or without Origin', async () => {
    const api = await buildApi(client, {
      functionArn: MISSING_FN,
      routes: ['POST /upload-url'],
      cors: LAB_CORS,
    });
    for (const headers of [{ origin: 'http://evil.example' }, {}]) {
      const res = await fetch(`${api.endpoint}/upload-url`, { method: 'POST', headers, body: '{}' });
      expect(res.status).toBe(500);
      expect(corsHeadersOf(res)).toEqual({});
    }
  });
});
