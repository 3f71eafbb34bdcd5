import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../test-support/clients.ts';
import { awsFailure } from '../../test-support/iam-sts.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { deploy, eventually, executionRole, invoke, lambdaClient } from './test-kit.ts';

const FUNCTIONS: Record<string, string> = {
  echo: `export const handler = async (event, context) => {
    console.log('event', JSON.stringify(event));
    return { event, requestId: context.awsRequestId, clientContext: context.clientContext ?? null };
  };`,
  nothing: 'export const handler = async () => undefined;',
  boom: `class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError'; } }
  export const handler = async (event) => { if (event.custom) throw new ValidationError('bad input'); throw new Error('boom'); };`,
  chatty: `export const handler = async () => { for (let i = 0; i < 200; i++) console.log('line', i, 'x'.repeat(60)); return 'done'; };`,
  huge: `export const handler = async () => 'x'.repeat(6 * 1024 * 1024 + 200);`,
  // Appends one line per attempt to event.file, then fails when event.fail is set.
  marker: `import { appendFileSync } from 'node:fs';
  export const handler = async (event) => { appendFileSync(event.file, 'ran\\n'); if (event.fail) throw new Error('again'); return 'ok'; };`,
};

describe('Invoke', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;
  let scratch: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = lambdaClient(emulator.url);
    scratch = await mkdtemp(join(tmpdir(), 'lambda-invoke-'));
    const role = await executionRole(emulator.url, 'invoke-role');
    for (const [name, source] of Object.entries(FUNCTIONS))
      await deploy(client, { name, role, files: { 'index.mjs': source } });
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('RequestResponse: 200, the result, $LATEST, the invocation id as request id', async () => {
    const out = await client.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ a: 1 }) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.FunctionError).toBeUndefined();
    const body = JSON.parse(Buffer.from(out.Payload!).toString());
    expect(body).toEqual({ event: { a: 1 }, requestId: out.$metadata.requestId, clientContext: null });
  });

  it('returns null for a handler that returns nothing, and {} for an empty payload', async () => {
    expect((await invoke(client, 'nothing')).text).toBe('null');
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo' }));
    expect(JSON.parse(Buffer.from(out.Payload!).toString()).event).toEqual({});
  });

  it('passes X-Amz-Client-Context to context.clientContext', async () => {
    const ClientContext = Buffer.from(JSON.stringify({ custom: { k: 'v' } })).toString('base64');
    const out = await invoke(client, 'echo', {}, { ClientContext });
    expect((out.body as { clientContext: unknown }).clientContext).toEqual({ custom: { k: 'v' } });
  });

  it('Tail: START, the console line, END and REPORT, at most the last 4 KB', async () => {
    const out = await invoke(client, 'echo', { b: 2 });
    const lines = out.log.trimEnd().split('\n');
    expect(lines[0]).toBe(`START RequestId: ${out.requestId} Version: $LATEST`);
    expect(lines[1]).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${out.requestId}\\tINFO\\tevent {"b":2}$`),
    );
    expect(lines[2]).toBe(`END RequestId: ${out.requestId}`);
    expect(lines[3]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${out.requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB`,
      ),
    );
    const chatty = await client.send(new InvokeCommand({ FunctionName: 'chatty', LogType: 'Tail' }));
    const tail = Buffer.from(chatty.LogResult!, 'base64');
    expect(tail.length).toBe(4096);
    expect(tail.toString()).toMatch(/line 199 x+\n[\s\S]*REPORT RequestId: [^\n]+\n$/);
    const none = await client.send(new InvokeCommand({ FunctionName: 'echo' }));
    expect(none.LogResult).toBeUndefined();
  });

  it('a thrown error: 200 with X-Amz-Function-Error Unhandled and the Node error shape', async () => {
    const out = await invoke(client, 'boom');
    expect(out.status).toBe(200);
    expect(out.functionError).toBe('Unhandled');
    const body = out.body as { errorType: string; errorMessage: string; trace: string[] };
    expect(body.errorType).toBe('Error');
    expect(body.errorMessage).toBe('boom');
    expect(body.trace[0]).toBe('Error: boom');
    expect(body.trace[1]).toMatch(/^ {4}at /);
    expect(out.log).toMatch(
      /\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"boom","stack":\["Error: boom"/,
    );
    const custom = await invoke(client, 'boom', { custom: true });
    expect(custom.body).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad input' });
  });

  it('DryRun: 204, nothing runs', async () => {
    const file = join(scratch, 'dry.txt');
    const out = await client.send(
      new InvokeCommand({
        FunctionName: 'marker',
        InvocationType: 'DryRun',
        Payload: JSON.stringify({ file }),
      }),
    );
    expect(out.StatusCode).toBe(204);
    expect(out.Payload?.length ?? 0).toBe(0);
    const sync = await invoke(client, 'marker', { file });
    expect(sync.text).toBe('"ok"');
    expect(await readFile(file, 'utf8')).toBe('ran\n'); // one run: the synchronous one
  });

  it('Event: 202 at once; the function runs, and a failing one is retried twice', async () => {
    const file = join(scratch, 'event.txt');
    const out = await client.send(
      new InvokeCommand({
        FunctionName: 'marker',
        InvocationType: 'Event',
        Payload: JSON.stringify({ file }),
      }),
    );
    expect(out.StatusCode).toBe(202);
    expect(await eventually(() => readFile(file, 'utf8').catch(() => undefined))).toBe('ran\n');
    const failing = join(scratch, 'failing.txt');
    await client.send(
      new InvokeCommand({
        FunctionName: 'marker',
        InvocationType: 'Event',
        Payload: JSON.stringify({ file: failing, fail: true }),
      }),
    );
    const three = await eventually(async () => {
      const text = await readFile(failing, 'utf8').catch(() => '');
      return text.split('\n').length > 3 ? text : undefined;
    });
    expect(three).toBe('ran\nran\nran\n');
  });

  it('404 for an unknown function, naming $LATEST', async () => {
    expect(await awsFailure(client.send(new InvokeCommand({ FunctionName: 'doesnotexist' })))).toEqual({
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:doesnotexist:$LATEST',
    });
  });

  it('refuses a request over 6 MB, and a response over 6 MB is a function error', async () => {
    const big = JSON.stringify({ data: 'x'.repeat(6 * 1024 * 1024) });
    expect(await awsFailure(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: big })))).toEqual({
      code: 'RequestEntityTooLargeException',
      status: 413,
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
    const out = await invoke(client, 'huge');
    expect(out.functionError).toBe('Unhandled');
    expect(out.body).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it('fails every invocation with a clear error once the execution role is gone', async () => {
    const doomed = await executionRole(emulator.url, 'doomed-role');
    await deploy(client, { name: 'orphaned', role: doomed, files: { 'index.mjs': FUNCTIONS['nothing']! } });
    await new IAMClient(clientConfig(emulator.url)).send(new DeleteRoleCommand({ RoleName: 'doomed-role' }));
    const out = await invoke(client, 'orphaned');
    expect(out.functionError).toBe('Unhandled');
    expect(out.body).toMatchObject({ errorType: 'Runtime.InvalidExecutionRole' });
    expect((out.body as { errorMessage: string }).errorMessage).toMatch(
      /^LAB_ROLE_NOT_ASSUMABLE: Lambda could not assume the execution role arn:aws:iam::000000000000:role\/doomed-role: .*lambda\.amazonaws\.com\.$/,
    );
  });

  it('refuses a payload that is not JSON and an unknown invocation type', async () => {
    const notJson = await awsFailure(
      client.send(
        new InvokeCommand({ FunctionName: 'echo', Payload: new TextEncoder().encode('{not json') }),
      ),
    );
    expect(notJson).toMatchObject({ code: 'InvalidRequestContentException', status: 400 });
    const type = await awsFailure(
      client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Sometimes' as never })),
    );
    expect(type).toEqual({
      code: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value 'Sometimes' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, Event, DryRun]",
    });
  });
});
