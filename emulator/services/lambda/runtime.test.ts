import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { deploy, executionRole, invoke, lambdaClient } from './test-kit.ts';

const ANSWER = 'async () => ({ from: import.meta?.url ? "esm" : "cjs" })';

describe('Node.js runtime contract', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;
  let role: string;
  const fn = async (name: string, files: Record<string, string>, extra: Record<string, unknown> = {}) => {
    await deploy(client, { name, role, files, ...extra });
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = lambdaClient(emulator.url);
    role = await executionRole(emulator.url, 'runtime-role');
  });
  afterAll(() => emulator.stop());

  it('resolves handlers like AWS: .mjs, CommonJS .js, .js with "type": "module", .cjs, folders, nested names', async () => {
    await fn('mjs', { 'index.mjs': `export const handler = ${ANSWER};` });
    await fn('cjs-js', {
      'index.js': 'exports.handler = async () => ({ from: typeof require === "function" ? "cjs" : "esm" });',
    });
    await fn('esm-js', {
      'package.json': '{"type":"module"}',
      'index.js':
        'export const handler = async () => ({ from: typeof require === "function" ? "cjs" : "esm" });',
    });
    await fn('cjs', { 'index.cjs': 'module.exports = { handler: async () => ({ from: "cjs" }) };' });
    await fn(
      'folder',
      { 'src/app.mjs': 'export const main = async () => ({ from: "src/app" });' },
      { Handler: 'src/app.main' },
    );
    await fn(
      'nested',
      { 'index.mjs': 'export const api = { v1: { get: async () => ({ from: "nested" }) } };' },
      { Handler: 'index.api.v1.get' },
    );
    expect((await invoke(client, 'mjs')).body).toEqual({ from: 'esm' });
    expect((await invoke(client, 'cjs-js')).body).toEqual({ from: 'cjs' });
    expect((await invoke(client, 'esm-js')).body).toEqual({ from: 'esm' });
    expect((await invoke(client, 'cjs')).body).toEqual({ from: 'cjs' });
    expect((await invoke(client, 'folder')).body).toEqual({ from: 'src/app' });
    expect((await invoke(client, 'nested')).body).toEqual({ from: 'nested' });
  });

  it('supports callback handlers (a plain return without the callback answers null, as on AWS)', async () => {
    await fn('callback', {
      'index.js':
        'exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { n: event.n + 1 }), 10); };',
    });
    await fn('callback-error', {
      'index.js': 'exports.handler = (event, context, callback) => callback(new Error("cb failed"));',
    });
    await fn('sync-return', { 'index.js': 'exports.handler = (event) => ({ ignored: true });' });
    expect((await invoke(client, 'callback', { n: 1 })).body).toEqual({ n: 2 });
    expect((await invoke(client, 'callback-error')).body).toMatchObject({
      errorType: 'Error',
      errorMessage: 'cb failed',
    });
    expect((await invoke(client, 'sync-return')).text).toBe('null');
  });

  it('gives the handler the context object and the environment of §5.4', async () => {
    await fn(
      'introspect',
      {
        'index.mjs': `export const handler = async (event, context) => ({
          context: { ...context, remaining: context.getRemainingTimeInMillis() },
          env: process.env,
          cwd: process.cwd(),
        });`,
      },
      { Timeout: 7, MemorySize: 256, Environment: { Variables: { TABLE: 'files' } } },
    );
    const out = await invoke(client, 'introspect');
    const { context, env, cwd } = out.body as {
      context: Record<string, unknown>;
      env: Record<string, string>;
      cwd: string;
    };
    expect(context).toMatchObject({
      functionName: 'introspect',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:introspect',
      memoryLimitInMB: '256',
      awsRequestId: out.requestId,
      logGroupName: '/aws/lambda/introspect',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context['logStreamName']).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context['remaining']).toBeGreaterThan(0);
    expect(context['remaining']).toBeLessThanOrEqual(7000);
    expect(env).toMatchObject({
      TABLE: 'files',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      AWS_LAMBDA_FUNCTION_NAME: 'introspect',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/introspect',
      AWS_ENDPOINT_URL: emulator.url,
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      _HANDLER: 'index.handler',
      LAMBDA_TASK_ROOT: cwd,
    });
    expect(env['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
    expect(env['AWS_SECRET_ACCESS_KEY']).toBeTruthy();
    expect(env['AWS_SESSION_TOKEN']).toBeTruthy();
    expect(env['_X_AMZN_TRACE_ID']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0/);
    expect(env['NODE_PATH']).toContain('node_modules');
  });

  it('resolves the AWS SDK v3 from ES modules and CommonJS, signed as the execution role', async () => {
    const call = `const sts = new STSClient({}); const me = await sts.send(new GetCallerIdentityCommand({})); return { arn: me.Arn };`;
    await fn('sdk-esm', {
      'index.mjs': `import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';\nexport const handler = async () => { ${call} };`,
    });
    await fn('sdk-cjs', {
      'index.js': `const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');\nexports.handler = async () => { ${call} };`,
    });
    for (const name of ['sdk-esm', 'sdk-cjs'])
      expect((await invoke(client, name)).body).toEqual({
        arn: `arn:aws:sts::000000000000:assumed-role/runtime-role/${name}`,
      });
  });

  it('reports import and handler problems as Unhandled function errors', async () => {
    await fn('no-module', { 'other.mjs': 'export const handler = async () => 1;' });
    await fn('no-export', { 'index.mjs': 'export const other = async () => 1;' });
    await fn('syntax', { 'index.mjs': 'export const handler = async () => {' });
    await fn('init-throws', {
      'index.mjs': 'throw new TypeError("bad config");\nexport const handler = async () => 1;',
    });
    await fn('bad-name', { 'index.mjs': 'export const handler = async () => 1;' }, { Handler: 'index' });
    const imported = await invoke(client, 'no-module');
    expect(imported.functionError).toBe('Unhandled');
    expect(imported.body).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
    expect((imported.body as { errorMessage: string }).errorMessage).toMatch(
      /^Error: Cannot find module 'index'/,
    );
    expect((await invoke(client, 'no-export')).body).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is undefined or not exported',
    });
    expect((await invoke(client, 'syntax')).body).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError' });
    expect((await invoke(client, 'init-throws')).body).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'bad config',
    });
    expect((await invoke(client, 'bad-name')).body).toMatchObject({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage: 'Bad handler',
    });
  });

  it('keeps an environment warm: same process, module state kept', async () => {
    await fn('warm', {
      'index.mjs':
        'let count = 0;\nexport const handler = async () => ({ pid: process.pid, count: ++count });',
    });
    const first = (await invoke(client, 'warm')).body as { pid: number; count: number };
    const second = (await invoke(client, 'warm')).body as { pid: number; count: number };
    expect(second).toEqual({ pid: first.pid, count: first.count + 1 });
  });

  it('enforces the timeout with the recorded payload, then starts a fresh environment', async () => {
    await fn(
      'slow',
      {
        'index.mjs':
          'export const handler = async (e) => { if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return process.pid; };',
      },
      { Timeout: 1 },
    );
    const before = (await invoke(client, 'slow')).body as number;
    const out = await invoke(client, 'slow', { hang: true });
    expect(out.functionError).toBe('Unhandled');
    expect(out.body).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${out.requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(out.log).toContain(`${out.requestId} Task timed out after 1.00 seconds`);
    const after = (await invoke(client, 'slow')).body as number;
    expect(after).not.toBe(before);
  });

  it('recycles a crashed environment: Runtime.ExitError, uncaught errors, unhandled rejections', async () => {
    await fn('crashy', {
      'index.mjs': `export const handler = async (e) => {
        if (e.exit) process.exit(3);
        if (e.throwLater) { setTimeout(() => { throw new RangeError('later'); }, 1); await new Promise((r) => setTimeout(r, 1000)); }
        if (e.reject) { Promise.reject(new Error('nobody caught me')); await new Promise((r) => setTimeout(r, 1000)); }
        return process.pid;
      };`,
    });
    const pid = (await invoke(client, 'crashy')).body as number;
    const exited = await invoke(client, 'crashy', { exit: true });
    expect(exited.functionError).toBe('Unhandled');
    expect(exited.body).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${exited.requestId} Error: Runtime exited with error: exit status 3`,
    });
    const next = (await invoke(client, 'crashy')).body as number;
    expect(next).not.toBe(pid);
    expect((await invoke(client, 'crashy', { throwLater: true })).body).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'later',
    });
    expect((await invoke(client, 'crashy', { reject: true })).body).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody caught me',
    });
    expect(typeof (await invoke(client, 'crashy')).body).toBe('number');
  });

  it('runs concurrent invocations in several environments', async () => {
    await fn('parallel', {
      'index.mjs':
        'export const handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return process.pid; };',
    });
    const pids = await Promise.all(
      [1, 2, 3, 4].map(() => invoke(client, 'parallel').then((o) => o.body as number)),
    );
    expect(new Set(pids).size).toBeGreaterThan(1);
  });
});
