import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { MAX_ENVIRONMENTS } from './runtime/pool.ts';
import { deploy, executionRole, invoke, lambdaClient, processExists } from './test-kit.ts';

// Found by test/reliability/concurrency.test.ts: 200 uploads started 161 environments, because
// every invocation of a burst saw the pool below its limit while the first starts were still
// fetching their credentials.
describe('a burst of invocations', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it(`starts at most ${MAX_ENVIRONMENTS} execution environments for one function, and runs every invocation`, async () => {
    const client = lambdaClient(emulator.url);
    try {
      const role = await executionRole(emulator.url, 'burst-role');
      await deploy(client, {
        name: 'burst',
        role,
        files: {
          'index.mjs':
            'export const handler = async (e) => { await new Promise((r) => setTimeout(r, 50)); return { pid: process.pid, n: e.n }; };',
        },
      });
      const burst = 24;
      const out = await Promise.all(Array.from({ length: burst }, (_, n) => invoke(client, 'burst', { n })));
      expect(out.map((o) => (o.body as { n: number }).n)).toEqual(Array.from({ length: burst }, (_, n) => n));
      const pids = new Set(out.map((o) => (o.body as { pid: number }).pid));
      expect(pids.size).toBeGreaterThanOrEqual(1);
      expect(pids.size).toBeLessThanOrEqual(MAX_ENVIRONMENTS);
      expect([...pids].every(processExists)).toBe(true);
    } finally {
      client.destroy();
    }
  });
});
