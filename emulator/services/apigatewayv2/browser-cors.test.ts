import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiGatewayV2Client, Cors } from '@aws-sdk/client-apigatewayv2';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../../test-support/browser.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { apigwClient, buildApi, deployFunction } from './test-kit.ts';

/**
 * A page on another origin calls `POST /upload-url` with a JSON body, as the lab's frontend does:
 * the browser preflights it, and only a CORS configuration that allows the origin, the method
 * and `content-type` lets the page read the answer.
 */
const TICKET_SOURCE = `
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ object_key: 'incoming/' + JSON.parse(event.body).filename }),
});
`;

let emulator: TestEmulator;
let client: ApiGatewayV2Client;
let browser: Browser;
let page: Server;
let pageOrigin: string;
let ticketFn: string;

beforeAll(async () => {
  if (!hasChromium) return;
  emulator = await startTestEmulator();
  client = apigwClient(emulator.url);
  ticketFn = await deployFunction(emulator.url, 'upload-ticket', TICKET_SOURCE);
  page = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>app</p>'),
  );
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  if (!hasChromium) return;
  await browser.close();
  await new Promise((resolve) => page.close(resolve));
  await emulator.stop();
});

/** Runs the frontend's request in a page served from `pageOrigin`; each call gets its own API (no preflight cache). */
async function requestTicket(
  cors: Cors,
): Promise<{ ok: true; status: number; body: unknown } | { ok: false; error: string }> {
  const api = await buildApi(client, { functionArn: ticketFn, routes: ['POST /upload-url'], cors });
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.goto(`${pageOrigin}/app/`);
    return await tab.evaluate(async (url) => {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ filename: 'cat.png' }),
        });
        return { ok: true as const, status: res.status, body: (await res.json()) as unknown };
      } catch (err) {
        return { ok: false as const, error: String(err) };
      }
    }, `${api.endpoint}/upload-url`);
  } finally {
    await context.close();
  }
}

describe.skipIf(!hasChromium)('a browser on another origin calling POST /upload-url', () => {
  const allowAll = () => ({
    AllowOrigins: [pageOrigin],
    AllowMethods: ['POST'],
    AllowHeaders: ['content-type'],
  });

  it('gets the ticket when the API allows its origin, POST and content-type', async () => {
    expect(await requestTicket(allowAll())).toEqual({
      ok: true,
      status: 200,
      body: { object_key: 'incoming/cat.png' },
    });
  });

  it.each([
    ['the origin', (c: Cors) => ({ ...c, AllowOrigins: ['http://localhost:5173'] })],
    ['the method', (c: Cors) => ({ ...c, AllowMethods: ['GET'] })],
    ['content-type', (c: Cors) => ({ ...c, AllowHeaders: ['authorization'] })],
  ])('is blocked when %s is not allowed', async (_missing, change) => {
    const result = await requestTicket(change(allowAll()));
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ error: expect.stringContaining('Failed to fetch') });
  });

  it('is blocked when the API has no CORS configuration at all', async () => {
    const api = await buildApi(client, { functionArn: ticketFn, routes: ['POST /upload-url'] });
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${pageOrigin}/app/`);
    const outcome = await tab.evaluate(
      (url) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"filename":"a"}',
        }).then(
          () => 'read',
          () => 'blocked',
        ),
      `${api.endpoint}/upload-url`,
    );
    await context.close();
    expect(outcome).toBe('blocked');
  });
});
