import { spawn } from 'node:child_process';
import { AttachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, hasAwsCli } from '../../test-support/aws-cli.ts';
import { clientConfig } from '../../test-support/clients.ts';
import { hasBoto3 } from '../../test-support/python.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { logsCall, logsCli } from '../logs/test-kit.ts';
import { deploy, eventually, executionRole, invoke, lambdaClient } from './test-kit.ts';

const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const NODE_FN = {
  'index.mjs': `export const handler = async (event) => {
  console.log('hello from', event.who);
  console.warn('two\\nlines');
  process.stdout.write('raw stdout\\n');
  return { ok: true };
};`,
};

interface Filtered {
  events: Array<{ logStreamName: string; message: string; timestamp: number }>;
}

/** Invocations write START, the function's lines, END and REPORT to /aws/lambda/<name> when the role may. */
describe("Lambda writes its functions' logs to CloudWatch Logs", () => {
  let emulator: TestEmulator;
  let lambda: LambdaClient;
  const filter = async (group: string, input: Record<string, unknown> = {}) =>
    logsCall(emulator.url, 'FilterLogEvents', { logGroupName: group, ...input });

  beforeAll(async () => {
    emulator = await startTestEmulator();
    lambda = lambdaClient(emulator.url);
    const iam = new IAMClient(clientConfig(emulator.url));
    const logging = await executionRole(emulator.url, 'logging-role');
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'logging-role', PolicyArn: BASIC }));
    await deploy(lambda, { name: 'talker', role: logging, files: NODE_FN });
    await deploy(lambda, {
      name: 'mute',
      role: await executionRole(emulator.url, 'silent-role'),
      files: NODE_FN,
    });
    await deploy(lambda, {
      name: 'streams-only',
      role: await executionRole(emulator.url, 'streams-role', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/streams-only:*',
          },
        ],
      }),
      files: NODE_FN,
    });
  });
  afterAll(() => emulator.stop());

  it('first invocations in several environments at once all land, in the one group they create', async () => {
    await deploy(lambda, {
      name: 'crowd',
      role: 'arn:aws:iam::000000000000:role/logging-role',
      files: NODE_FN,
    });
    const runs = await Promise.all(
      Array.from({ length: 4 }, (_, i) => invoke(lambda, 'crowd', { who: `c${i}` })),
    );
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const { events } = (await filter('/aws/lambda/crowd')).body as unknown as Filtered;
    const reports = events.filter((e) => e.message.startsWith('REPORT RequestId:'));
    expect(reports.length).toBe(4);
  });

  it("one invocation: its lines in the environment's stream, as the Node runtime formats them", async () => {
    const run = await invoke(lambda, 'talker', { who: 'test' });
    expect(run.status).toBe(200);
    const out = await filter('/aws/lambda/talker');
    expect(out.status).toBe(200);
    const { events } = out.body as unknown as Filtered;
    const id = run.requestId!;
    const messages = events.map((e) => e.message);
    expect(messages[0]).toBe(`START RequestId: ${id} Version: $LATEST\n`);
    expect(messages[1]).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\tINFO\\thello from test\\n$`),
    );
    // One console call is one event, whatever its lines.
    expect(messages[2]).toMatch(new RegExp(`\\t${id}\\tWARN\\ttwo\\nlines\\n$`));
    expect(messages[3]).toBe('raw stdout\n');
    expect(messages[4]).toBe(`END RequestId: ${id}\n`);
    expect(messages[5]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t`,
      ),
    );
    expect(messages).toHaveLength(6);
    const stream = events[0]!.logStreamName;
    expect(stream).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(new Set(events.map((e) => e.logStreamName))).toEqual(new Set([stream]));
    const times = events.map((e) => e.timestamp);
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // The warm environment writes its next invocation to the same stream.
    await invoke(lambda, 'talker', { who: 'again' });
    const streams = await logsCall(emulator.url, 'DescribeLogStreams', {
      logGroupName: '/aws/lambda/talker',
    });
    expect(
      (streams.body['logStreams'] as Array<{ logStreamName: string }>).map((s) => s.logStreamName),
    ).toEqual([stream]);
    // The Tail result is still the invocation's own.
    expect(run.log).toContain('hello from test');
  });

  it('a cold start: what the function printed while loading comes before START, once', async () => {
    const role = await executionRole(emulator.url, 'init-logging-role');
    await new IAMClient(clientConfig(emulator.url)).send(
      new AttachRolePolicyCommand({ RoleName: 'init-logging-role', PolicyArn: BASIC }),
    );
    await deploy(lambda, {
      name: 'loader',
      role,
      files: {
        'index.mjs': "console.log('loading');\nconsole.log('loaded');\nexport const handler = async () => 1;",
      },
    });
    const cold = await invoke(lambda, 'loader');
    const warm = await invoke(lambda, 'loader');
    const { events } = (await filter('/aws/lambda/loader')).body as unknown as Filtered;
    const messages = events.map((e) => e.message);
    expect(messages[0]).toMatch(/^\S+Z\tundefined\tINFO\tloading\n$/);
    expect(messages[1]).toMatch(/^\S+Z\tundefined\tINFO\tloaded\n$/);
    expect(messages[2]).toBe(`START RequestId: ${cold.requestId} Version: $LATEST\n`);
    expect(messages.filter((m) => m.includes('loading'))).toHaveLength(1);
    expect(messages.at(-3)).toBe(`START RequestId: ${warm.requestId} Version: $LATEST\n`);
  });

  it('a role without logs permissions: the function runs, nothing is written', async () => {
    const run = await invoke(lambda, 'mute', { who: 'nobody' });
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ ok: true });
    expect(run.log).toContain('hello from nobody');
    const out = await filter('/aws/lambda/mute');
    expect(out.body).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });

  it('a role that may not create the group writes once the group exists', async () => {
    await invoke(lambda, 'streams-only', { who: 'early' });
    expect((await filter('/aws/lambda/streams-only')).body['__type']).toBe('ResourceNotFoundException');
    await logsCall(emulator.url, 'CreateLogGroup', { logGroupName: '/aws/lambda/streams-only' });
    await invoke(lambda, 'streams-only', { who: 'late' });
    const { events } = (await filter('/aws/lambda/streams-only', { filterPattern: 'hello' }))
      .body as unknown as Filtered;
    expect(events.map((e) => e.message.split('\t').at(-1))).toEqual(['hello from late\n']);
  });

  it.skipIf(!hasAwsCli)(
    "aws logs tail --since 5m prints an invocation's lines (skipped without /usr/bin/aws)",
    async () => {
      const run = await invoke(lambda, 'talker', { who: 'tail' });
      const out = await logsCli(emulator.url, ['tail', '/aws/lambda/talker', '--since', '5m']);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain(`START RequestId: ${run.requestId} Version: $LATEST`);
      expect(out.stdout).toMatch(new RegExp(`\\t${run.requestId}\\tINFO\\thello from tail`));
      expect(out.stdout).toContain(`REPORT RequestId: ${run.requestId}`);
    },
    120_000,
  );

  it.skipIf(!hasAwsCli)(
    'aws logs tail --follow prints an invocation made after it started',
    async () => {
      await invoke(lambda, 'talker', { who: 'before-follow' });
      const child = spawn(
        AWS_CLI,
        ['--endpoint-url', emulator.url, 'logs', 'tail', '/aws/lambda/talker', '--follow', '--since', '5m'],
        {
          env: {
            PATH: process.env['PATH'] ?? '/usr/bin:/bin',
            HOME: process.env['HOME'] ?? '/tmp',
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            // The CLI is Python: unbuffered, so each line reaches the pipe as it is printed.
            PYTHONUNBUFFERED: '1',
          },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      try {
        // It has started once it printed what was there before it.
        await eventually(() => (output.includes('hello from before-follow') ? true : undefined), 50_000);
        const run = await invoke(lambda, 'talker', { who: 'while-following' });
        await eventually(
          () => (output.includes(`END RequestId: ${run.requestId}`) ? true : undefined),
          50_000,
        );
        expect(output).toMatch(new RegExp(`\\t${run.requestId}\\tINFO\\thello from while-following`));
      } finally {
        child.kill('SIGKILL');
      }
    },
    120_000,
  );

  it.skipIf(!hasBoto3)(
    "a Python function's print lines are one event each (skipped without boto3)",
    async () => {
      const role = await executionRole(emulator.url, 'python-logging-role');
      await new IAMClient(clientConfig(emulator.url)).send(
        new AttachRolePolicyCommand({ RoleName: 'python-logging-role', PolicyArn: BASIC }),
      );
      await deploy(lambda, {
        name: 'py-talker',
        role,
        Runtime: 'python3.12',
        Handler: 'f.handler',
        files: { 'f.py': 'def handler(e, c):\n    print("first\\nsecond")\n    return 1\n' },
      });
      const run = await invoke(lambda, 'py-talker');
      expect(run.status).toBe(200);
      const { events } = (await filter('/aws/lambda/py-talker')).body as unknown as Filtered;
      const messages = events.map((e) => e.message);
      expect(messages[0]).toBe(`START RequestId: ${run.requestId} Version: $LATEST\n`);
      expect(messages.slice(1, 3)).toEqual(['first\n', 'second\n']);
      expect(messages[3]).toBe(`END RequestId: ${run.requestId}\n`);
    },
  );
});
