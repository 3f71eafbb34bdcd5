import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { events, logsCall } from './test-kit.ts';

/** Groups, streams, events and retention are durable: a restart on the same data folder loses nothing. */
describe('CloudWatch Logs across a restart', () => {
  let dataDir: string;
  let emulator: TestEmulator | undefined;
  afterAll(async () => {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps what was acknowledged, and a deleted group stays deleted', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'logs-restart-'));
    emulator = await startTestEmulator({ dataDir });
    const call = (op: string, input: unknown) => logsCall(emulator!.url, op, input);
    await call('CreateLogGroup', { logGroupName: '/keep/me' });
    await call('CreateLogGroup', { logGroupName: '/drop/me' });
    await call('CreateLogGroup', { logGroupName: 'second' });
    await logsCall(emulator.url, 'CreateLogGroup', { logGroupName: 'in-eu' }, { region: 'eu-west-1' });
    await call('PutRetentionPolicy', { logGroupName: '/keep/me', retentionInDays: 30 });
    await call('CreateLogStream', { logGroupName: '/keep/me', logStreamName: 'one' });
    await call('CreateLogStream', { logGroupName: '/keep/me', logStreamName: 'two' });
    const batch = events(3, 'kept');
    expect(
      (await call('PutLogEvents', { logGroupName: '/keep/me', logStreamName: 'one', logEvents: batch }))
        .status,
    ).toBe(200);
    await call('DeleteLogGroup', { logGroupName: '/drop/me' });
    const before = await call('GetLogEvents', {
      logGroupName: '/keep/me',
      logStreamName: 'one',
      startFromHead: true,
    });
    await emulator.stopKeepingData();

    emulator = await startTestEmulator({ dataDir });
    const after = await logsCall(emulator.url, 'GetLogEvents', {
      logGroupName: '/keep/me',
      logStreamName: 'one',
      startFromHead: true,
    });
    expect(after.body).toEqual(before.body);
    expect((after.body['events'] as Array<{ message: string }>).map((e) => e.message)).toEqual(
      batch.map((e) => e.message),
    );
    const groups = await logsCall(emulator.url, 'DescribeLogGroups', {});
    const listed = groups.body['logGroups'] as Array<Record<string, unknown>>;
    expect(listed.map((g) => g['logGroupName'])).toEqual(['/keep/me', 'second']);
    expect(listed[0]).toMatchObject({ retentionInDays: 30 });
    const eu = await logsCall(emulator.url, 'DescribeLogGroups', {}, { region: 'eu-west-1' });
    expect((eu.body['logGroups'] as Array<Record<string, unknown>>).map((g) => g['logGroupName'])).toEqual([
      'in-eu',
    ]);
    const streams = await logsCall(emulator.url, 'DescribeLogStreams', { logGroupName: '/keep/me' });
    expect(
      (streams.body['logStreams'] as Array<{ logStreamName: string }>).map((s) => s.logStreamName),
    ).toEqual(['one', 'two']);
    // Event ids stay the same, so `aws logs tail --follow` never repeats an event after a restart.
    const filtered = await logsCall(emulator.url, 'FilterLogEvents', { logGroupName: '/keep/me' });
    expect((filtered.body['events'] as Array<{ eventId: string }>).map((e) => e.eventId)).toHaveLength(3);
    // New writes continue after the replayed ones.
    await logsCall(emulator.url, 'PutLogEvents', {
      logGroupName: '/keep/me',
      logStreamName: 'one',
      logEvents: events(1, 'new'),
    });
    const all = await logsCall(emulator.url, 'FilterLogEvents', { logGroupName: '/keep/me' });
    const ids = (all.body['events'] as Array<{ eventId: string }>).map((e) => e.eventId);
    expect(new Set(ids).size).toBe(4);
    expect((await logsCall(emulator.url, 'CreateLogGroup', { logGroupName: '/drop/me' })).status).toBe(200);
  });

  it('POST /_emulator/reset removes every group, on disk too', async () => {
    expect((await fetch(`${emulator!.url}/_emulator/reset`, { method: 'POST' })).status).toBe(200);
    const empty = await logsCall(emulator!.url, 'DescribeLogGroups', {});
    expect(empty.body).toEqual({ logGroups: [] });
    await emulator!.stopKeepingData();
    emulator = await startTestEmulator({ dataDir });
    expect((await logsCall(emulator.url, 'DescribeLogGroups', {})).body).toEqual({ logGroups: [] });
    expect((await logsCall(emulator.url, 'CreateLogGroup', { logGroupName: '/keep/me' })).status).toBe(200);
  });
});
