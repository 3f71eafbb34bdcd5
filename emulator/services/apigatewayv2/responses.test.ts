import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import {
  apigwClient,
  buildApi,
  corsHeadersOf,
  deployFunction,
  PROBE_SOURCE,
  probeResult,
} from './test-kit.ts';

/** How a function's result becomes the HTTP response (aws-behavior.md §4.5) and who owns CORS headers (§4.3). */
let emulator: TestEmulator;
let client: ApiGatewayV2Client;
let probe: string;
let endpoint: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = apigwClient(emulator.url);
  probe = await deployFunction(emulator.url, 'probe', PROBE_SOURCE);
  endpoint = (await buildApi(client, { functionArn: probe, routes: ['GET /r'] })).endpoint;
});
afterAll(() => emulator.stop());

const answer = (result: unknown, headers: Record<string, string> = {}, url = `${endpoint}/r`) =>
  fetch(url, { headers: { ...probeResult(result), ...headers } });

describe('payload 2.0 results', () => {
  it('sends a result without statusCode as 200 JSON: a string as itself, anything else as its JSON', async () => {
    const text = await answer('Hello from Lambda!');
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('application/json');
    expect(await text.text()).toBe('Hello from Lambda!');
    const object = await answer({ message: 'Hello' });
    expect(object.status).toBe(200);
    expect(await object.json()).toEqual({ message: 'Hello' });
    expect(await (await answer(42)).text()).toBe('42');
  });

  it('maps statusCode, headers, cookies and body', async () => {
    const res = await answer({
      statusCode: 201,
      headers: { 'X-Ticket': 'abc', 'Content-Type': 'application/json' },
      cookies: ['a=1; Path=/', 'b=2'],
      body: '{"ok":true}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-ticket')).toBe('abc');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
    expect(await res.json()).toEqual({ ok: true });
  });

  it('decodes a base64 body and defaults the content-type', async () => {
    const bytes = Buffer.from([0, 1, 2, 200, 255]);
    const res = await answer({ statusCode: 200, body: bytes.toString('base64'), isBase64Encoded: true });
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const empty = await answer({ statusCode: 204 });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });
});

describe('payload 1.0 results', () => {
  it('needs a statusCode, and takes multiValueHeaders', async () => {
    const api = await buildApi(client, {
      functionArn: probe,
      routes: ['GET /v1'],
      payloadFormatVersion: '1.0',
    });
    const res = await answer(
      { statusCode: 202, multiValueHeaders: { 'Set-Cookie': ['x=1', 'y=2'] }, body: 'queued' },
      {},
      `${api.endpoint}/v1`,
    );
    expect(res.status).toBe(202);
    expect(res.headers.getSetCookie()).toEqual(['x=1', 'y=2']);
    expect(await res.text()).toBe('queued');
    expect((await answer({ message: 'no status' }, {}, `${api.endpoint}/v1`)).status).toBe(500);
  });
});

describe('CORS headers of the function', () => {
  const ORIGIN = 'http://localhost:5173';
  const fromFunction = {
    statusCode: 200,
    headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'x-custom' },
    body: '{}',
  };

  it('are replaced by the gateway when the API has a CORS configuration', async () => {
    const api = await buildApi(client, {
      functionArn: probe,
      routes: ['GET /c'],
      cors: { AllowOrigins: [ORIGIN], AllowMethods: ['GET'] },
    });
    const allowed = await answer(fromFunction, { origin: ORIGIN }, `${api.endpoint}/c`);
    expect(corsHeadersOf(allowed)).toEqual({ 'access-control-allow-origin': ORIGIN, vary: 'origin' });
    const other = await answer(fromFunction, { origin: 'http://evil.example' }, `${api.endpoint}/c`);
    expect(corsHeadersOf(other)).toEqual({});
  });

  it('pass through untouched when the API has none', async () => {
    const res = await answer(fromFunction, { origin: ORIGIN });
    expect(corsHeadersOf(res)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'x-custom',
    });
  });
});
