import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../core/log.ts';
import { startEmulator } from '../../server.ts';
import { awsFailure } from '../../test-support/iam-sts.ts';
import { hasBoto3 } from '../../test-support/python.ts';
import { deploy, executionRole, invoke, lambdaClient, processExists } from './test-kit.ts';

/** A logger that keeps what functions print (the emulator's log, as `[fn:<name>]` lines). */
function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    request: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    output: (source, text) =>
      lines.push(
        ...text
          .trimEnd()
          .split('\n')
          .map((line) => `[${source}] ${line}`),
      ),
  };
}

describe('worker processes', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("copies the function's output to the emulator's log, prefixed with its name", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lambda-log-'));
    dirs.push(dataDir);
    const logger = capturingLogger();
    const emulator = await startEmulator({ port: 0, dataDir, logger });
    try {
      const client = lambdaClient(emulator.url);
      const role = await executionRole(emulator.url, 'log-role');
      await deploy(client, {
        name: 'talker',
        role,
        files: {
          'index.mjs':
            'export const handler = async () => { console.log("hello log"); console.warn("careful"); return 1; };',
        },
      });
      const out = await invoke(client, 'talker');
      expect(logger.lines).toContain(`[fn:talker] START RequestId: ${out.requestId} Version: $LATEST`);
      expect(logger.lines.some((l) => /^\[fn:talker\] \S+\t\S+\tINFO\thello log$/.test(l))).toBe(true);
      expect(logger.lines.some((l) => /^\[fn:talker\] \S+\t\S+\tWARN\tcareful$/.test(l))).toBe(true);
    } finally {
      await emulator.stop();
    }
  });

  it('leaves no worker process behind when the emulator stops, nor after a reset', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lambda-orphans-'));
    dirs.push(dataDir);
    const emulator = await startEmulator({ port: 0, dataDir, quiet: true });
    const client = lambdaClient(emulator.url);
    const role = await executionRole(emulator.url, 'orphan-role');
    const slowPid =
      'export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return process.pid; };';
    await deploy(client, { name: 'node-worker', role, files: { 'index.mjs': slowPid } });
    if (hasBoto3)
      await deploy(client, {
        name: 'py-worker',
        role,
        Runtime: 'python3.12',
        Handler: 'lambda_function.handler',
        files: { 'lambda_function.py': 'import os\ndef handler(e, c):\n    return os.getpid()\n' },
      });
    const pids = (await Promise.all([1, 2, 3].map(() => invoke(client, 'node-worker')))).map(
      (o) => o.body as number,
    );
    if (hasBoto3) pids.push((await invoke(client, 'py-worker')).body as number);

    // A reset stops the workers and forgets the functions.
    const reset = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(pids.filter(processExists)).toEqual([]);
    expect(
      (await awsFailure(client.send(new GetFunctionCommand({ FunctionName: 'node-worker' })))).status,
    ).toBe(404);

    // Warm workers again, then stop the emulator: none survives.
    const role2 = await executionRole(emulator.url, 'orphan-role');
    await deploy(client, { name: 'node-worker', role: role2, files: { 'index.mjs': slowPid } });
    const warm = (await Promise.all([1, 2].map(() => invoke(client, 'node-worker')))).map(
      (o) => o.body as number,
    );
    expect(warm.every(processExists)).toBe(true);
    await emulator.stop();
    expect(warm.filter(processExists)).toEqual([]);
  });
});
