import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { events, logsCall } from './test-kit.ts';

const OPERATIONS = [
  'CreateLogGroup',
  'DeleteLogGroup',
  'DescribeLogGroups',
  'PutRetentionPolicy',
  'DeleteRetentionPolicy',
  'CreateLogStream',
  'DescribeLogStreams',
  'PutLogEvents',
  'GetLogEvents',
  'FilterLogEvents',
];
const MEMBERS = [
  'logGroupName',
  'logGroupIdentifier',
  'logStreamName',
  'logStreamNames',
  'logStreamNamePrefix',
  'logGroupNamePrefix',
  'logGroupNamePattern',
  'logEvents',
  'retentionInDays',
  'startTime',
  'endTime',
  'limit',
  'nextToken',
  'startFromHead',
  'filterPattern',
  'orderBy',
  'descending',
];

const WRITES = ['DeleteLogGroup', 'PutLogEvents', 'PutRetentionPolicy'];

/** Values near the ones clients send, and some that no client would. */
const value = fc.oneof(
  fc.constantFrom(
    'fuzz',
    'keep',
    'f/123/s',
    'b/00000000000000000000000000000000000000000000000000000000/s',
    '{ $.a = ',
    '?x -y "z',
  ),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: -5, max: 20_000 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.record({ timestamp: fc.oneof(fc.constant(Date.now()), fc.integer()), message: fc.string() }), {
    maxLength: 4,
  }),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Random inputs to every operation: only 200 or AWS-style 400s, and the stored events stay intact. */
describe('CloudWatch Logs under malformed input', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    await logsCall(emulator.url, 'CreateLogGroup', { logGroupName: 'keep' });
    await logsCall(emulator.url, 'CreateLogStream', { logGroupName: 'keep', logStreamName: 'keep' });
    await logsCall(emulator.url, 'PutLogEvents', {
      logGroupName: 'keep',
      logStreamName: 'keep',
      logEvents: events(3, 'kept'),
    });
  });
  afterAll(() => emulator.stop());

  it('400 requests: never a 5xx, every error has a __type, the kept events are unchanged', async () => {
    const cases = fc.sample(
      fc.record({
        operation: fc.constantFrom(...OPERATIONS),
        body: fc.dictionary(fc.constantFrom(...MEMBERS), value, { maxKeys: 5 }),
        raw: fc.option(fc.constantFrom('{', '[]', '"x"', 'null', '{"logGroupName": 5}'), { freq: 10 }),
      }),
      { numRuns: 400, seed: 20261208 },
    );
    const before = await logsCall(emulator.url, 'GetLogEvents', {
      logGroupName: 'keep',
      logStreamName: 'keep',
    });
    for (const c of cases) {
      // Nothing may change the group the check below reads.
      if (c.body['logGroupName'] === 'keep' && WRITES.includes(c.operation)) continue;
      const answer = await logsCall(
        emulator.url,
        c.operation,
        c.body,
        c.raw === null ? {} : { rawBody: c.raw },
      );
      expect([200, 400], `${c.operation} ${JSON.stringify(c.body)}`).toContain(answer.status);
      if (answer.status === 400) expect(typeof answer.body['__type']).toBe('string');
    }
    const after = await logsCall(emulator.url, 'GetLogEvents', {
      logGroupName: 'keep',
      logStreamName: 'keep',
    });
    expect(after.body['events']).toEqual(before.body['events']);
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
  }, 120_000);
});
