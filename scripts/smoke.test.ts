import path from 'node:path';
import { DeleteBucketCorsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../checks/lib/browser.ts';
import type { LabOutputs } from '../checks/lib/outputs.ts';
import { deploy } from './deploy.ts';
import { smoke } from './smoke.ts';
import { testClients } from './test-support/clients.ts';
import {
  EMULATOR_MISSING,
  startLocalStack,
  TEST_CREDENTIALS,
  type LocalStack,
} from './test-support/local-stack.ts';

const chromium = await findChromium();

describe.skipIf(EMULATOR_MISSING || !chromium)('npm run smoke against the local AWS', () => {
  let stack: LocalStack;
  let outputs: LabOutputs;
  let aws: ReturnType<typeof testClients>;

  beforeAll(async () => {
    stack = await startLocalStack();
    aws = testClients(stack.endpoint);
    const result = await deploy({
      endpoint: stack.endpoint,
      credentials: TEST_CREDENTIALS,
      name: 'smoke-test',
      stage: 'solution',
      origin: stack.origin,
      outputsFile: path.join(stack.dir, 'outputs.json'),
    });
    outputs = result.outputs;
    stack.setApiBaseUrl(outputs.apiEndpoint);
  });
  afterAll(async () => {
    aws?.destroy();
    await stack?.stop();
  });

  const listKeys = async () =>
    ((await aws.s3.send(new ListObjectsV2Command({ Bucket: outputs.bucket }))).Contents ?? []).map(
      (o) => o.Key,
    );

  it('uploads through the form, proves bytes, record and dashboard, and leaves nothing behind', async () => {
    const before = await listKeys();
    const phases = await smoke({
      outputs,
      endpoint: stack.endpoint,
      frontendUrl: `${stack.origin}/app/`,
      size: 100_000,
    });
    expect(phases.map((p) => [p.name, p.ok])).toEqual([
      ['open the frontend', true],
      ['upload through the form', true],
      ['object in S3 with the same bytes', true],
      ['metadata record written', true],
      ['dashboard lists the file', true],
      ['clean up', true],
    ]);
    expect(phases[2]!.detail).toContain('100000 bytes');
    expect(await listKeys()).toEqual(before);
  });

  it('fails at the upload, saying why, when the bucket no longer allows the page', async () => {
    await aws.s3.send(new DeleteBucketCorsCommand({ Bucket: outputs.bucket }));
    const phases = await smoke({
      outputs,
      endpoint: stack.endpoint,
      frontendUrl: `${stack.origin}/app/`,
      timeoutMs: 10_000,
    });
    const upload = phases.find((p) => p.name === 'upload through the form');
    expect(upload?.ok).toBe(false);
    expect(upload?.detail).toMatch(/CORS/i);
    expect(phases.some((p) => p.name === 'object in S3 with the same bytes')).toBe(false);
    expect(phases.at(-1)).toMatchObject({ name: 'clean up', ok: true });
  });
});
