import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.ts';
import { logsGateway } from './gateway.ts';
import { LogsStore } from './store.ts';

/**
 * Writers that find a function's group missing at the same moment (its first invocations in
 * several environments) all land in the one group the first of them creates: none is refused
 * because the group is being created, and a CreateLogGroup call meanwhile is still refused.
 */
describe('the logs gateway with concurrent writers', () => {
  let dir: string;
  let store: LogsStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-logs-gateway-'));
    store = await LogsStore.open(dir, createLogger({ quiet: true }));
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the group once and writes every batch', async () => {
    const gateway = logsGateway(store);
    const write = (stream: string) =>
      gateway.write({
        region: 'us-east-1',
        group: '/aws/lambda/crowd',
        stream,
        events: [{ timestamp: Date.now(), message: `hello from ${stream}\n` }],
        may: () => true,
      });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map(write));
    expect(results).toEqual([true, true, true, true]);
    const group = store.get('us-east-1', '/aws/lambda/crowd');
    expect([...group.streams.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('still refuses a second CreateLogGroup while the first is under way', async () => {
    const first = store.create('us-east-1', '/aws/lambda/once', Date.now());
    await expect(store.create('us-east-1', '/aws/lambda/once', Date.now())).rejects.toMatchObject({
      code: 'ResourceAlreadyExistsException',
    });
    await expect(store.ensure('us-east-1', '/aws/lambda/once', Date.now())).resolves.toBe(await first);
  });
});
