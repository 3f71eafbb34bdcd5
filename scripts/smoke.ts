#!/usr/bin/env tsx
/**
 * `npm run smoke`: a headless Chromium uploads a generated file through the deployed frontend's
 * real form, then proves the object is in S3 with the same bytes, the pipeline wrote its record,
 * and the dashboard lists it. Prints each phase's timing, cleans up, exits 0 / 1 / 2.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { BrowserSession, findChromium, NO_CHROMIUM } from '../checks/lib/browser.ts';
import { createClients, LOCAL_CREDENTIALS, LOCAL_ENDPOINT } from '../checks/lib/aws.ts';
import { startFrontendServer, type FrontendServer } from '../checks/lib/frontend-server.ts';
import { OUTPUTS_FILE, readOutputs, type LabOutputs } from '../checks/lib/outputs.ts';
import { metadataKeyFor } from '../checks/lib/uploads.ts';
import { toJunit } from '../checks/report/junit.ts';
import type { RowResult } from '../checks/types.ts';
import { flagString, isMain, parseFlags, runCli } from './lib/cli.ts';
import { LabError, usageError } from './lib/errors.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const HELP = `Usage: npm run smoke -- [--local] [--outputs FILE] [--frontend-url URL] [--size BYTES] [--junit FILE]

Headless Chromium opens the deployed frontend, uploads a generated file through its form, and
proves the object is in S3 with the right bytes, the metadata record exists and the dashboard
lists it. Everything it creates is removed afterwards.
  --local             the local AWS (${LOCAL_ENDPOINT}); AWS_ENDPOINT_URL is honoured too
  --outputs FILE      the deploy's outputs                         default ${OUTPUTS_FILE}
  --frontend-url URL  the page to drive      default <frontendOrigin>/app/ from the outputs
  --size BYTES        size of the generated file                   default 65536
  --timeout S         how long the pipeline and dashboard may take default 20
  --junit FILE        also write a JUnit report
Exit codes: 0 every phase passed, 1 a phase failed, 2 usage or setup problem.`;

export interface SmokeOptions {
  outputs: LabOutputs;
  endpoint?: string;
  frontendUrl?: string;
  size?: number;
  timeoutMs?: number;
  onPhase?: (phase: PhaseResult) => void;
}

export interface PhaseResult {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

/** Runs the smoke test; resolves with every phase, failed ones included. */
export async function smoke(opts: SmokeOptions): Promise<PhaseResult[]> {
  const { outputs } = opts;
  const endpoint = opts.endpoint ?? outputs.endpoint;
  const aws = createClients({
    region: outputs.region,
    ...(endpoint ? { endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  const chromium = await findChromium();
  if (!chromium) throw new LabError('LAB_USAGE', `${NO_CHROMIUM}.`);
  const browser = new BrowserSession(chromium);
  const size = opts.size ?? 65_536;
  const deadline = opts.timeoutMs ?? 20_000;
  const phases: PhaseResult[] = [];
  let served: FrontendServer | undefined;
  let key: string | undefined;

  const phase = async (name: string, body: () => Promise<string>): Promise<boolean> => {
    const started = performance.now();
    let result: PhaseResult;
    try {
      result = { name, ok: true, ms: performance.now() - started, detail: await body() };
      result.ms = performance.now() - started;
    } catch (err) {
      result = { name, ok: false, ms: performance.now() - started, detail: (err as Error).message };
    }
    phases.push(result);
    opts.onPhase?.(result);
    return result.ok;
  };

  const bytes = randomBytes(size);
  const md5 = createHash('md5').update(bytes).digest('hex');
  // text/plain is in the reference ticket's allow-list; the bytes themselves are random.
  const filename = `smoke-${Date.now()}.txt`;
  let page: Page | undefined;
  try {
    let url = opts.frontendUrl ?? `${outputs.frontendOrigin}/app/`;
    const ok =
      (await phase('open the frontend', async () => {
        if (!(await answers(url)) && isLocal(url)) {
          served = await startFrontendServer({
            dir: 'solution/frontend',
            apiBaseUrl: outputs.apiEndpoint,
            port: new URL(url).port ? Number(new URL(url).port) : 80,
          });
          url = served.url;
        }
        page = await (await browser.newContext()).newPage();
        await page.goto(url, { waitUntil: 'load' });
        await page
          .locator('form[data-lab="upload-form"] input[type=file]')
          .waitFor({ state: 'attached', timeout: 5000 });
        return `${url}${served ? ' (served from solution/frontend)' : ''}`;
      })) &&
      (await phase('upload through the form', async () => {
        const p = page!;
        await p.setInputFiles('form[data-lab="upload-form"] input[type=file]', {
          name: filename,
          mimeType: 'text/plain',
          buffer: bytes,
        });
        await p
          .locator('form[data-lab="upload-form"]')
          .evaluate((f) => (f as unknown as { requestSubmit(): void }).requestSubmit());
        const status = p.locator('[data-lab="upload-status"][data-state]');
        await status.waitFor({ timeout: deadline });
        const state = await status.getAttribute('data-state');
        if (state !== 'ok') throw new Error(`the page says: ${(await status.textContent())?.trim()}`);
        key = (await status.getAttribute('data-object-key')) ?? undefined;
        if (!key)
          throw new Error('the status element has no data-object-key (docs/contracts.md conventions)');
        return key;
      })) &&
      (await phase('object in S3 with the same bytes', async () => {
        const got = await getBytes(aws.s3, outputs.bucket, key!);
        const gotMd5 = createHash('md5').update(got).digest('hex');
        if (gotMd5 !== md5)
          throw new Error(`MD5 ${gotMd5} in S3, ${md5} uploaded (${got.length} of ${size} bytes)`);
        return `${size} bytes, MD5 ${md5}`;
      })) &&
      (await phase('metadata record written', async () => {
        const recordKey = metadataKeyFor(key!, outputs.uploadPrefix, outputs.metadataPrefix);
        if (!recordKey) throw new Error(`key ${key} is not under ${outputs.uploadPrefix}`);
        const record = await poll(deadline, () =>
          getBytes(aws.s3, outputs.bucket, recordKey).catch(() => undefined),
        );
        if (!record)
          throw new Error(
            `no ${recordKey} after ${deadline / 1000}s: is the bucket's ObjectCreated notification in place?`,
          );
        const parsed = JSON.parse(record.toString('utf8')) as { size?: number };
        if (parsed.size !== size) throw new Error(`record says size ${parsed.size}, uploaded ${size}`);
        return recordKey;
      })) &&
      (await phase('dashboard lists the file', async () => {
        const p = page!;
        const item = p.locator(`[data-lab="file-list"] li[data-key="${key}"]`);
        const found = await poll(deadline, async () => {
          if ((await item.count()) > 0) return true;
          await p
            .locator('[data-lab="refresh"]')
            .click()
            .catch(() => undefined);
          return undefined;
        });
        if (!found) throw new Error(`the page's file list has no entry with data-key="${key}"`);
        return 'listed';
      }));
    void ok;
  } finally {
    await phase('clean up', async () => {
      if (!key) return 'nothing to remove';
      const recordKey = metadataKeyFor(key, outputs.uploadPrefix, outputs.metadataPrefix);
      await aws.s3.send(new DeleteObjectCommand({ Bucket: outputs.bucket, Key: key }));
      if (recordKey) await aws.s3.send(new DeleteObjectCommand({ Bucket: outputs.bucket, Key: recordKey }));
      return `removed ${key}${recordKey ? ` and ${recordKey}` : ''}`;
    });
    await browser.close();
    await served?.close();
  }
  return phases;
}

async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function poll<T>(ms: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) return undefined;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const isLocal = (url: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
}

export async function main(args: string[]): Promise<boolean> {
  const flags = parseFlags(args, {
    boolean: ['local'],
    string: ['outputs', 'frontend-url', 'size', 'junit', 'timeout'],
  });
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return true;
  }
  const file = flagString(flags, 'outputs') ?? OUTPUTS_FILE;
  const outputs = await readOutputs(file);
  if (!outputs)
    throw new LabError(
      'LAB_NOT_DEPLOYED',
      `no ${file}: deploy first (npm run deploy -- --stage solution${flags['local'] ? ' --local' : ''}).`,
    );
  const size = Number(flagString(flags, 'size') ?? 65_536);
  if (!Number.isInteger(size) || size < 1)
    throw usageError('--size must be a whole number of bytes, at least 1.');
  const timeout = Number(flagString(flags, 'timeout') ?? 20);
  if (!(timeout > 0)) throw usageError('--timeout must be a number of seconds.');
  const endpoint = process.env['AWS_ENDPOINT_URL'] ?? (flags['local'] ? LOCAL_ENDPOINT : outputs.endpoint);
  const frontendUrl = flagString(flags, 'frontend-url');
  const phases = await smoke({
    outputs,
    ...(endpoint ? { endpoint } : {}),
    ...(frontendUrl ? { frontendUrl } : {}),
    size,
    timeoutMs: timeout * 1000,
    onPhase: (p) =>
      process.stderr.write(
        `  ${p.ok ? 'ok  ' : 'FAIL'}  ${p.name.padEnd(34)} ${(p.ms / 1000).toFixed(2).padStart(6)}s  ${p.detail}\n`,
      ),
  });
  const junit = flagString(flags, 'junit');
  if (junit) {
    const results: RowResult[] = phases.map((p, i) => ({
      id: `smoke-${i + 1}`,
      title: p.name,
      step: 'smoke',
      status: p.ok ? 'pass' : 'fail',
      detail: p.detail,
      evidence: {},
      startMs: 0,
      durationMs: p.ms,
    }));
    const failed = results.filter((r) => r.status === 'fail').length;
    await writeFile(
      junit,
      toJunit({
        results,
        summary: {
          passed: results.length - failed,
          failed,
          skipped: 0,
          durationMs: phases.reduce((a, p) => a + p.ms, 0),
        },
      }),
    );
  }
  const failed = phases.filter((p) => !p.ok).length;
  process.stderr.write(`${phases.length - failed} passed, ${failed} failed\n`);
  return failed === 0;
}

if (isMain(import.meta.url)) {
  let ok = true;
  await runCli(async () => {
    ok = await main(process.argv.slice(2));
  });
  if (!ok) process.exitCode = 1;
}
