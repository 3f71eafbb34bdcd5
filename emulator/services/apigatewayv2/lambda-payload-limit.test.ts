import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { apigwClient, buildApi, deployFunction, PROBE_SOURCE, probeResult } from './test-kit.ts';

/**
 * Lambda's 6 MB synchronous payload limit applies to the event API Gateway builds, not only to
 * Invoke: a body under the gateway's 10 MB can still be refused, and a binary body counts at its
 * base64 size. (What `npm run bench` shows for the proxied upload path.)
 */
let emulator: TestEmulator;
let client: ApiGatewayV2Client;
let url: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = apigwClient(emulator.url);
  const probe = await deployFunction(emulator.url, 'payload-probe', PROBE_SOURCE);
  url = `${(await buildApi(client, { functionArn: probe, routes: ['POST /upload'] })).endpoint}/upload`;
});
afterAll(() => emulator.stop());

const post = (body: Buffer, contentType: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...probeResult({ statusCode: 200, body: 'stored' }) },
    body,
  });

describe("Lambda's 6 MB limit behind the HTTP API", () => {
  it('passes a binary body whose base64 event stays under 6 MB', async () => {
    const res = await post(Buffer.alloc(4_500_000, 7), 'application/octet-stream');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('stored');
  });

  it('refuses with 413 a binary body under 6 MB whose base64 event is over it', async () => {
    const res = await post(Buffer.alloc(4_800_000, 7), 'application/octet-stream');
    expect(res.status).toBe(413);
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
    expect(await res.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('refuses with 413 a text body between 6 MB and the gateway’s 10 MB', async () => {
    const res = await post(Buffer.alloc(7_000_000, 'a'), 'text/plain');
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: 'Request Entity Too Large' });
  });
});
