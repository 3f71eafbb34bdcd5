import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBoto3 } from '../../test-support/python.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { deploy, executionRole, lambdaClient } from './test-kit.ts';

const FUNCTIONS = ['node-echo', ...(hasBoto3 ? ['python-echo'] : [])];

/** Measures warm Invoke latency through the SDK (signing, HTTP, pipeline, worker round trip) and reports it. */
describe('warm invoke latency', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = lambdaClient(emulator.url);
    const role = await executionRole(emulator.url, 'latency-role');
    await deploy(client, {
      name: 'node-echo',
      role,
      files: { 'index.mjs': 'export const handler = async (e) => ({ pid: process.pid, i: e.i });' },
    });
    if (hasBoto3)
      await deploy(client, {
        name: 'python-echo',
        role,
        Runtime: 'python3.12',
        Handler: 'f.handler',
        files: { 'f.py': 'import os\ndef handler(e, c):\n    return {"pid": os.getpid(), "i": e["i"]}\n' },
      });
  });
  afterAll(() => emulator.stop());

  it.each(FUNCTIONS)(
    '%s: 200 sequential invocations in one warm environment (p50 reported)',
    async (name) => {
      const call = async (i: number) => {
        const started = performance.now();
        const out = await client.send(
          new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ i }) }),
        );
        const body = JSON.parse(Buffer.from(out.Payload!).toString()) as { pid: number; i: number };
        return { ms: performance.now() - started, body };
      };
      const cold = await call(-1);
      const runs = [];
      for (let i = 0; i < 200; i++) runs.push(await call(i));
      expect(runs.map((r) => r.body.i)).toEqual([...Array(200).keys()]);
      expect(new Set(runs.map((r) => r.body.pid))).toEqual(new Set([cold.body.pid]));
      const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
      const at = (q: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
      console.log(
        `lambda warm invoke (${name}), 200 calls: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (cold ${cold.ms.toFixed(0)} ms)`,
      );
    },
  );
});
