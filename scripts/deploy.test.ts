import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetApiCommand, GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { GetBucketCorsCommand, GetPublicAccessBlockCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, findChromium } from '../checks/lib/browser.ts';
import type { LabOutputs } from '../checks/lib/outputs.ts';
import { deploy, type DeployResult } from './deploy.ts';
import { solve } from './solve.ts';
import { teardown } from './teardown.ts';
import { namesWithPrefix, testClients } from './test-support/clients.ts';
import {
  EMULATOR_MISSING,
  eventually,
  startLocalStack,
  TEST_CREDENTIALS,
  type LocalStack,
} from './test-support/local-stack.ts';
import { fileRecord, uploadWithFetch } from './test-support/upload.ts';

const PREFIX = 'deploy-test';
const chromium = await findChromium();

describe.skipIf(EMULATOR_MISSING)('deploy, solve and teardown on the local AWS', () => {
  let stack: LocalStack;
  let aws: ReturnType<typeof testClients>;
  let outputs: LabOutputs;
  const target = () => ({
    endpoint: stack.endpoint,
    credentials: TEST_CREDENTIALS,
    name: PREFIX,
    origin: stack.origin,
    outputsFile: path.join(stack.dir, 'outputs.json'),
  });
  const actions = (result: { changes: Array<{ kind: string; action: string }> }) =>
    result.changes.map((c) => `${c.kind}:${c.action}`);

  beforeAll(async () => {
    stack = await startLocalStack();
    aws = testClients(stack.endpoint);
  });
  afterAll(async () => {
    aws?.destroy();
    await stack?.stop();
  });

  it('deploys the baseline: private bucket, pipeline, GET /files, and the outputs file', async () => {
    const result = await deploy({ ...target(), stage: 'baseline' });
    outputs = result.outputs;
    stack.setApiBaseUrl(outputs.apiEndpoint);
    expect(result.changes.filter((c) => c.detail !== 'absent').every((c) => c.action === 'created')).toBe(
      true,
    );
    expect(outputs).toMatchObject({
      endpoint: stack.endpoint,
      region: 'us-east-1',
      name: PREFIX,
      stage: 'baseline',
      bucket: `${PREFIX}-000000000000-us-east-1`,
      functions: { uploadTicket: `${PREFIX}-upload-ticket`, listFiles: `${PREFIX}-list-files` },
      roles: { fileMetadata: `${PREFIX}-file-metadata-role` },
      frontendOrigin: stack.origin,
      uploadPrefix: 'incoming/',
      metadataPrefix: 'metadata/',
    });
    expect(outputs.apiEndpoint).toBe(`${stack.endpoint}/_aws/execute-api/${outputs.apiId}`);
    expect(JSON.parse(await readFile(target().outputsFile, 'utf8'))).toEqual(outputs);

    const block = await aws.s3.send(new GetPublicAccessBlockCommand({ Bucket: outputs.bucket }));
    expect(Object.values(block.PublicAccessBlockConfiguration ?? {})).toEqual([true, true, true, true]);
    const routes = await aws.apigw.send(new GetRoutesCommand({ ApiId: outputs.apiId }));
    expect(routes.Items?.map((r) => r.RouteKey)).toEqual(['GET /files']);
    const api = await aws.apigw.send(new GetApiCommand({ ApiId: outputs.apiId }));
    expect(api.CorsConfiguration?.AllowMethods).toEqual(['GET']);
    await expect(aws.s3.send(new GetBucketCorsCommand({ Bucket: outputs.bucket }))).rejects.toThrow();
    await expect(
      aws.lambda.send(new GetFunctionCommand({ FunctionName: outputs.functions.uploadTicket })),
    ).rejects.toThrow();
  });

  it('serves GET /files to the frontend origin, and has no upload route yet', async () => {
    const files = await fetch(`${outputs.apiEndpoint}/files`, { headers: { origin: stack.origin } });
    expect(files.status).toBe(200);
    expect(files.headers.get('access-control-allow-origin')).toBe(stack.origin);
    expect(await files.json()).toMatchObject({ files: [], count: 0 });
    const ticket = await fetch(`${outputs.apiEndpoint}/upload-url`, { method: 'POST', body: '{}' });
    expect(ticket.status).toBe(404);
  });

  let solution: DeployResult;
  it('deploys the solution on top: every lab step', async () => {
    solution = await deploy({ ...target(), stage: 'solution' });
    expect(solution.outputs).toEqual({ ...outputs, stage: 'solution' });
    outputs = solution.outputs;
    expect(actions(solution)).toEqual(
      expect.arrayContaining([
        'api-cors:updated',
        'bucket-cors:created',
        'role:created',
        'function:created',
        'role-policy:created',
        'route:created',
        'permission:created',
      ]),
    );
  });

  it('a second deploy changes nothing and makes no write call', async () => {
    const again = await deploy({ ...target(), stage: 'solution' });
    expect(again.changes.map((c) => c.action).filter((a) => a !== 'unchanged')).toEqual([]);
    expect(again.writes).toEqual([]);
    expect(again.changes).toHaveLength(solution.changes.length);
    expect(again.outputs).toEqual(outputs);
  });

  it('a non-browser client gets a ticket, uploads, and sees the record on GET /files', async () => {
    const { ticket, status } = await uploadWithFetch(outputs, 'fetch note.txt', 'uploaded by fetch');
    expect(status).toBe(204);
    expect(ticket.object_key.startsWith('incoming/')).toBe(true);
    await aws.s3.send(new HeadObjectCommand({ Bucket: outputs.bucket, Key: ticket.object_key }));
    const record = await eventually('the metadata record', () => fileRecord(outputs, ticket.object_key));
    expect(record).toMatchObject({ name: 'fetch note.txt', size: 'uploaded by fetch'.length });
  });

  it.skipIf(!chromium)(
    'Chromium on the frontend origin uploads, and the dashboard shows the file',
    async () => {
      const { chromium: launcher } = await import('playwright-core');
      const browser = await launcher.launch({
        executablePath: chromium ?? '',
        args: CHROMIUM_FLAGS,
        headless: true,
      });
      try {
        const page = await browser.newPage();
        await page.goto(`${stack.origin}/app/`);
        await page.setInputFiles('form[data-lab="upload-form"] input[type=file]', {
          name: 'browser-note.txt',
          mimeType: 'text/plain',
          buffer: Buffer.from('uploaded by Chromium'),
        });
        await page.click('form[data-lab="upload-form"] button[type=submit]');
        const status = page.locator('[data-lab="upload-status"][data-state]');
        await status.waitFor();
        expect(await status.getAttribute('data-state'), await status.innerText()).toBe('ok');
        const key = (await status.getAttribute('data-object-key')) ?? '';
        expect(key.startsWith('incoming/')).toBe(true);
        await eventually('the file on the dashboard', async () => {
          await page.click('[data-lab="refresh"]');
          const item = page.locator(`[data-lab="file-list"] li[data-key="${key}"]`);
          return (await item.count()) > 0 ? true : undefined;
        });
      } finally {
        await browser.close();
      }
    },
  );

  it('deploying the baseline over the solution undoes the lab steps', async () => {
    const reset = await deploy({ ...target(), stage: 'baseline' });
    const deleted = reset.changes.filter((c) => c.action === 'deleted').map((c) => c.kind);
    expect(deleted.sort()).toEqual(['bucket-cors', 'function', 'permission', 'role', 'role-policy', 'route']);
    expect(actions(reset)).toContain('api-cors:updated');
    const ticket = await fetch(`${outputs.apiEndpoint}/upload-url`, { method: 'POST', body: '{}' });
    expect(ticket.status).toBe(404);
    const again = await deploy({ ...target(), stage: 'baseline' });
    expect(again.writes).toEqual([]);
    expect(again.changes.every((c) => c.action === 'unchanged')).toBe(true);
  });

  it('solve applies one step at a time, and the steps add up to the solution', async () => {
    const opts = target();
    for (const id of ['api-cors', 'bucket-cors', 'ticket-function', 'put-permission', 'upload-route']) {
      const first = await solve(id, opts);
      expect(first.changes.length, id).toBeGreaterThan(0);
      expect(
        first.changes.some((c) => c.action !== 'unchanged'),
        id,
      ).toBe(true);
      const second = await solve(id, opts);
      expect(
        second.changes.every((c) => c.action === 'unchanged'),
        id,
      ).toBe(true);
    }
    const noop = await solve('dashboard', opts);
    expect(noop.note).toMatch(/no change of its own/);
    const solved = await deploy({ ...opts, stage: 'solution' });
    expect(solved.writes).toEqual([]);
  });

  it('teardown removes everything, bucket contents included, and says what it removed', async () => {
    const result = await teardown(target());
    expect(result.removed.map((c) => c.kind).sort()).toEqual(
      ['api', 'bucket', 'function', 'function', 'function', 'outputs', 'role', 'role', 'role'].sort(),
    );
    expect(result.removed.find((c) => c.kind === 'bucket')?.detail).toMatch(/^[1-9]\d* objects?$/);
    expect(await namesWithPrefix(aws, PREFIX)).toEqual({ buckets: [], functions: [], roles: [], apis: [] });
  });

  it('teardown again removes nothing and succeeds; solve then says the baseline is missing', async () => {
    expect((await teardown(target())).removed).toEqual([]);
    await expect(solve('bucket-cors', target())).rejects.toMatchObject({ code: 'LAB_NOT_DEPLOYED' });
  });
});
