import { GetApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { apigwClient, buildApi, deployFunction, failure, PROBE_SOURCE } from './test-kit.ts';

/**
 * The data plane of a regional HTTP API: found by id whatever its region, calling a Lambda of
 * its own region with a SourceArn that names that region; and APIs stored before APIs were
 * regional (no `region` in the record) loading as us-east-1.
 */

const EU = 'eu-west-1';
const INTERNAL_ERROR = { status: 500, body: '{"message":"Internal Server Error"}' };

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
});

const permit = (region: string, name: string, sid: string, sourceArn: string) =>
  new LambdaClient({ ...clientConfig(emulator.url), region }).send(
    new AddPermissionCommand({
      FunctionName: name,
      StatementId: sid,
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: sourceArn,
    }),
  );

async function call(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

const domainOf = (body: string) =>
  (JSON.parse(body) as { requestContext: { domainName: string } }).requestContext.domainName;

describe('the data plane of an API in eu-west-1', () => {
  it('serves it at the path-based endpoint, invoking with a SourceArn that names eu-west-1', async () => {
    const fn = await deployFunction(emulator.url, 'probe', PROBE_SOURCE, { region: EU, permit: false });
    expect(fn).toBe(`arn:aws:lambda:${EU}:000000000000:function:probe`);
    const api = await buildApi(apigwClient(emulator.url, EU), { functionArn: fn, routes: ['GET /probe'] });
    const url = `${emulator.url}/_aws/execute-api/${api.apiId}/probe`;
    expect(api.endpoint).toBe(`${emulator.url}/_aws/execute-api/${api.apiId}`);

    // A permission for this API's ARN but in us-east-1 does not match the gateway's SourceArn.
    await permit(EU, 'probe', 'wrong-region', `arn:aws:execute-api:us-east-1:000000000000:${api.apiId}/*/*`);
    expect(await call(url)).toEqual(INTERNAL_ERROR);

    await permit(
      EU,
      'probe',
      'own-region',
      `arn:aws:execute-api:${EU}:000000000000:${api.apiId}/$default/GET/probe`,
    );
    const ok = await call(url);
    expect(ok.status, ok.body).toBe(200);
    expect(domainOf(ok.body)).toBe(`${api.apiId}.execute-api.${EU}.amazonaws.com`);
  }, 60_000);

  it('fails like a missing function when the integration names a function of another region', async () => {
    const fn = await deployFunction(emulator.url, 'elsewhere', PROBE_SOURCE, { permit: false });
    expect(fn).toBe('arn:aws:lambda:us-east-1:000000000000:function:elsewhere');
    for (const region of ['us-east-1', EU])
      await permit(
        'us-east-1',
        'elsewhere',
        `from-${region}`,
        `arn:aws:execute-api:${region}:000000000000:*/*`,
      );

    const euApi = await buildApi(apigwClient(emulator.url, EU), { functionArn: fn, routes: ['GET /x'] });
    expect(await call(`${euApi.endpoint}/x`)).toEqual(INTERNAL_ERROR);
    const missing = await buildApi(apigwClient(emulator.url, EU), {
      functionArn: `arn:aws:lambda:${EU}:000000000000:function:elsewhere`,
      routes: ['GET /x'],
    });
    expect(await call(`${missing.endpoint}/x`)).toEqual(INTERNAL_ERROR);

    // The same function behind an API of its own region answers.
    const usApi = await buildApi(apigwClient(emulator.url), { functionArn: fn, routes: ['GET /x'] });
    const ok = await call(`${usApi.endpoint}/x`);
    expect(ok.status, ok.body).toBe(200);
    expect(domainOf(ok.body)).toBe(`${usApi.apiId}.execute-api.us-east-1.amazonaws.com`);
  }, 60_000);
});

describe('state stored before APIs were regional', () => {
  it('loads an API record without a region as us-east-1', async () => {
    // Build an API with a route to a function that allows us-east-1 APIs only, then take the
    // region out of its record: the shape the service wrote before APIs were regional.
    const old = await startTestEmulator();
    let restarted: TestEmulator | undefined;
    try {
      const fn = await deployFunction(old.url, 'legacy', PROBE_SOURCE);
      const api = await buildApi(apigwClient(old.url), { functionArn: fn, routes: ['GET /legacy'] });
      await old.stopKeepingData();
      const file = join(old.dataDir, 'apigatewayv2', 'apis', `${api.apiId}.json`);
      const record = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      expect(record['region']).toBe('us-east-1');
      delete record['region'];
      await writeFile(file, JSON.stringify(record));

      restarted = await startTestEmulator({ dataDir: old.dataDir });
      const us = apigwClient(restarted.url);
      const eu = apigwClient(restarted.url, EU);
      expect((await us.send(new GetApiCommand({ ApiId: api.apiId }))).Name).toBe('test-api');
      expect((await us.send(new GetApisCommand({}))).Items?.map((a) => a.ApiId)).toEqual([api.apiId]);
      expect((await eu.send(new GetApisCommand({}))).Items).toEqual([]);
      expect(await failure(eu.send(new GetApiCommand({ ApiId: api.apiId })))).toMatchObject({
        name: 'NotFoundException',
        status: 404,
      });
      // Invoked with a us-east-1 SourceArn (the function's permission allows no other region).
      const ok = await call(`${restarted.url}/_aws/execute-api/${api.apiId}/legacy`);
      expect(ok.status, ok.body).toBe(200);
      expect(domainOf(ok.body)).toBe(`${api.apiId}.execute-api.us-east-1.amazonaws.com`);
      // And the record is rewritten once in the current shape.
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ region: 'us-east-1' });
    } finally {
      await (restarted ?? old).stop();
    }
  }, 60_000);
});
