import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { events, logsCall } from './test-kit.ts';

/** Every error row of aws-behavior.md §10, and the validation AWS adds, over raw signed JSON 1.1. */
describe('CloudWatch Logs errors', () => {
  let emulator: TestEmulator;
  const call = (op: string, input: unknown) => logsCall(emulator.url, op, input);
  const expectError = async (op: string, input: unknown, type: string, message: string) => {
    const answer = await call(op, input);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toBe('application/x-amz-json-1.1');
    expect(answer.body).toEqual({ __type: type, message });
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    expect((await call('CreateLogGroup', { logGroupName: 'errs' })).status).toBe(200);
    expect((await call('CreateLogStream', { logGroupName: 'errs', logStreamName: 's' })).status).toBe(200);
  });
  afterAll(() => emulator.stop());

  const GROUP_MISSING = 'The specified log group does not exist.';
  it.each([
    ['GetLogEvents', { logGroupName: 'nope', logStreamName: 's' }],
    ['FilterLogEvents', { logGroupName: 'nope' }],
    ['DescribeLogStreams', { logGroupName: 'nope' }],
    ['CreateLogStream', { logGroupName: 'nope', logStreamName: 's' }],
    ['PutLogEvents', { logGroupName: 'nope', logStreamName: 's', logEvents: events(1) }],
    ['DeleteLogGroup', { logGroupName: 'nope' }],
    ['PutRetentionPolicy', { logGroupName: 'nope', retentionInDays: 7 }],
    ['DeleteRetentionPolicy', { logGroupName: 'nope' }],
  ])('%s on a missing group: ResourceNotFoundException', (op, input) =>
    expectError(op, input, 'ResourceNotFoundException', GROUP_MISSING),
  );

  it.each([
    ['GetLogEvents', { logGroupName: 'errs', logStreamName: 'nope' }],
    ['PutLogEvents', { logGroupName: 'errs', logStreamName: 'nope', logEvents: events(1) }],
  ])('%s on a missing stream: ResourceNotFoundException', (op, input) =>
    expectError(op, input, 'ResourceNotFoundException', 'The specified log stream does not exist.'),
  );

  it('CreateLogGroup / CreateLogStream of an existing one: ResourceAlreadyExistsException (no period)', async () => {
    await expectError(
      'CreateLogGroup',
      { logGroupName: 'errs' },
      'ResourceAlreadyExistsException',
      'The specified log group already exists',
    );
    await expectError(
      'CreateLogStream',
      { logGroupName: 'errs', logStreamName: 's' },
      'ResourceAlreadyExistsException',
      'The specified log stream already exists',
    );
  });

  it('PutLogEvents out of order: InvalidParameterException, and nothing is stored', async () => {
    const now = Date.now();
    await expectError(
      'PutLogEvents',
      {
        logGroupName: 'errs',
        logStreamName: 's',
        logEvents: [
          { timestamp: now, message: 'second' },
          { timestamp: now - 1, message: 'first' },
        ],
      },
      'InvalidParameterException',
      'Log events in a single PutLogEvents request must be in chronological order.',
    );
    const got = await call('GetLogEvents', { logGroupName: 'errs', logStreamName: 's' });
    expect(got.body['events']).toEqual([]);
  });

  it('PutLogEvents: events too old, too new or past retention are rejected one by one', async () => {
    await call('CreateLogStream', { logGroupName: 'errs', logStreamName: 'windows' });
    const now = Date.now();
    const [hour, day] = [3_600_000, 86_400_000];
    const put = (logEvents: unknown[], logGroupName = 'errs', logStreamName = 'windows') =>
      call('PutLogEvents', { logGroupName, logStreamName, logEvents });
    // A batch spanning more than 24 hours is refused as a whole.
    expect(
      (
        await put([
          { timestamp: now - 25 * hour, message: 'a' },
          { timestamp: now, message: 'b' },
        ])
      ).body,
    ).toEqual({
      __type: 'InvalidParameterException',
      message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    });
    const old = await put([
      { timestamp: now - 14 * day - 60_000, message: 'too old' },
      { timestamp: now - 14 * day + hour, message: 'kept' },
    ]);
    expect(old.status).toBe(200);
    expect(old.body['rejectedLogEventsInfo']).toEqual({ tooOldLogEventEndIndex: 0 });
    const fresh = await put([
      { timestamp: now, message: 'kept too' },
      { timestamp: now + 2 * hour + 60_000, message: 'too new' },
    ]);
    expect(fresh.body['rejectedLogEventsInfo']).toEqual({ tooNewLogEventStartIndex: 1 });
    const got = await call('GetLogEvents', { logGroupName: 'errs', logStreamName: 'windows' });
    expect((got.body['events'] as Array<{ message: string }>).map((e) => e.message)).toEqual([
      'kept',
      'kept too',
    ]);

    await call('CreateLogGroup', { logGroupName: 'short-lived' });
    await call('PutRetentionPolicy', { logGroupName: 'short-lived', retentionInDays: 1 });
    await call('CreateLogStream', { logGroupName: 'short-lived', logStreamName: 's' });
    const expired = await put(
      [
        { timestamp: now - day - 60_000, message: 'expired' },
        { timestamp: now - hour, message: 'kept' },
      ],
      'short-lived',
      's',
    );
    expect(expired.body['rejectedLogEventsInfo']).toEqual({ expiredLogEventEndIndex: 0 });
  });

  it('PutLogEvents: batch limits', async () => {
    const base = { logGroupName: 'errs', logStreamName: 's' };
    await expectError(
      'PutLogEvents',
      { ...base, logEvents: [] },
      'InvalidParameterException',
      "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const big = 'x'.repeat(600_000);
    const now = Date.now();
    await expectError(
      'PutLogEvents',
      {
        ...base,
        logEvents: [
          { timestamp: now, message: big },
          { timestamp: now, message: big },
        ],
      },
      'InvalidParameterException',
      'Upload too large: 1200052 bytes exceeds limit of 1048576',
    );
  });

  it.each([
    ['GetLogEvents', { logGroupName: 'errs', logStreamName: 's', nextToken: 'f/123/s' }],
    ['GetLogEvents', { logGroupName: 'errs', logStreamName: 's', nextToken: 'garbage' }],
    ['FilterLogEvents', { logGroupName: 'errs', nextToken: 'not-a-token' }],
  ])('%s with a bad nextToken: InvalidParameterException', (op, input) =>
    expectError(op, input, 'InvalidParameterException', 'The specified nextToken is invalid.'),
  );

  it.each([
    ['GetLogEvents', { logGroupName: 'errs', logStreamName: 's', limit: 10001 }],
    ['FilterLogEvents', { logGroupName: 'errs', limit: 10001 }],
  ])('%s with limit 10001: InvalidParameterException', (op, input) =>
    expectError(
      op,
      input,
      'InvalidParameterException',
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    ),
  );

  it('CreateLogGroup: a name over 512 characters, or with a character outside the pattern', async () => {
    await expectError(
      'CreateLogGroup',
      { logGroupName: 'a'.repeat(513) },
      'InvalidParameterException',
      'Invalid LogGroup or LogStream, both must have length less than or equal to 512.',
    );
    await expectError(
      'CreateLogGroup',
      { logGroupName: 'a b' },
      'InvalidParameterException',
      "1 validation error detected: Value 'a b' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
  });

  it('DescribeLogGroups with prefix and pattern: InvalidParameterException', () =>
    expectError(
      'DescribeLogGroups',
      { logGroupNamePrefix: 'a', logGroupNamePattern: 'b' },
      'InvalidParameterException',
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    ));

  it('DescribeLogStreams with name and identifier: ValidationException', () =>
    expectError(
      'DescribeLogStreams',
      { logGroupName: 'errs', logGroupIdentifier: 'errs' },
      'ValidationException',
      'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    ));

  it('PutRetentionPolicy: only the documented periods', async () => {
    await expectError(
      'PutRetentionPolicy',
      { logGroupName: 'errs', retentionInDays: 2 },
      'InvalidParameterException',
      "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    );
    expect((await call('PutRetentionPolicy', { logGroupName: 'errs', retentionInDays: 3653 })).status).toBe(
      200,
    );
  });

  it("a key that does not exist, or a wrong secret: 400 in the JSON services' words", async () => {
    const unknown = await logsCall(
      emulator.url,
      'DescribeLogGroups',
      {},
      {
        credentials: { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' },
      },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      __type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const wrongSecret = await logsCall(
      emulator.url,
      'DescribeLogGroups',
      {},
      {
        credentials: { accessKeyId: 'test', secretAccessKey: 'not-the-secret' },
      },
    );
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.body['__type']).toBe('InvalidSignatureException');
  });

  it('logGroupIdentifier names a group by name or by ARN (with or without :*)', async () => {
    for (const logGroupIdentifier of [
      'errs',
      'arn:aws:logs:us-east-1:000000000000:log-group:errs',
      'arn:aws:logs:us-east-1:000000000000:log-group:errs:*',
    ]) {
      const streams = await call('DescribeLogStreams', { logGroupIdentifier });
      expect(streams.status).toBe(200);
      expect((streams.body['logStreams'] as Array<{ logStreamName: string }>)[0]?.logStreamName).toBe('s');
      expect((await call('FilterLogEvents', { logGroupIdentifier })).status).toBe(200);
      expect((await call('GetLogEvents', { logGroupIdentifier, logStreamName: 's' })).status).toBe(200);
    }
  });

  it('malformed input never breaks the service', async () => {
    const raw = await logsCall(emulator.url, 'CreateLogGroup', undefined, { rawBody: '{"logGroupName": ' });
    expect(raw.status).toBe(400);
    expect(raw.body['__type']).toBe('SerializationException');
    const wrongType = await call('GetLogEvents', { logGroupName: 'errs', logStreamName: 's', limit: 'ten' });
    expect(wrongType.body['__type']).toBe('SerializationException');
    const badEvent = await call('PutLogEvents', {
      logGroupName: 'errs',
      logStreamName: 's',
      logEvents: [{ timestamp: 1 }],
    });
    expect(badEvent.body).toEqual({
      __type: 'InvalidParameterException',
      message:
        "1 validation error detected: Value null at 'logEvents.1.member.message' failed to satisfy constraint: Member must not be null",
    });
    const unknown = await call('TagLogGroup', { logGroupName: 'errs' });
    expect(unknown.status).toBe(400);
    expect(unknown.body['__type']).toBe('UnknownOperationException');
    expect((await call('DescribeLogGroups', {})).status).toBe(200);
  });
});
