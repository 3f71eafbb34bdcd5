import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../../test-support/aws-cli.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { executionRole, zip } from './test-kit.ts';

/** The Debian AWS CLI v2 against the local Lambda: the commands a student types. */
describe.skipIf(!hasAwsCli)('AWS CLI: lambda', () => {
  let emulator: TestEmulator;
  let dir: string;
  let role: string;
  const aws = async (...args: string[]) => {
    const out = await runAws(emulator.url, ['lambda', ...args]);
    if (out.code !== 0) throw new Error(`aws lambda ${args[0]} failed: ${out.stderr}`);
    return out.stdout ? (JSON.parse(out.stdout) as Record<string, unknown>) : {};
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    dir = await mkdtemp(join(tmpdir(), 'lambda-cli-'));
    role = await executionRole(emulator.url, 'cli-role');
    await writeFile(
      join(dir, 'fn.zip'),
      zip({ 'index.mjs': 'export const handler = async (e) => { console.log("cli"); return { got: e }; };' }),
    );
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates, waits for, invokes (with the log tail), lists and permits a function', async () => {
    const created = await aws(
      'create-function',
      '--function-name', 'cli-fn',
      '--runtime', 'nodejs20.x',
      '--handler', 'index.handler',
      '--role', role,
      '--zip-file', `fileb://${join(dir, 'fn.zip')}`,
    ); // prettier-ignore
    expect(created['State']).toBe('Pending');
    await aws('wait', 'function-active-v2', '--function-name', 'cli-fn');
    const outFile = join(dir, 'out.json');
    const invoked = await aws(
      'invoke',
      '--function-name', 'cli-fn',
      '--cli-binary-format', 'raw-in-base64-out',
      '--payload', '{"x":1}',
      '--log-type', 'Tail',
      outFile,
    ); // prettier-ignore
    expect(invoked['StatusCode']).toBe(200);
    expect(Buffer.from(String(invoked['LogResult']), 'base64').toString()).toMatch(/INFO\tcli\n/);
    expect(JSON.parse(await readFile(outFile, 'utf8'))).toEqual({ got: { x: 1 } });
    const listed = await aws('list-functions');
    expect((listed['Functions'] as Array<{ FunctionName: string }>).map((f) => f.FunctionName)).toEqual([
      'cli-fn',
    ]);
    await aws(
      'add-permission',
      '--function-name', 'cli-fn',
      '--statement-id', 'apigw',
      '--action', 'lambda:InvokeFunction',
      '--principal', 'apigateway.amazonaws.com',
      '--source-arn', 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/*/upload-url',
    ); // prettier-ignore
    const policy = JSON.parse(String((await aws('get-policy', '--function-name', 'cli-fn'))['Policy']));
    expect(policy.Statement[0].Condition).toEqual({
      ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/*/upload-url' },
    });
    const missing = await runAws(emulator.url, ['lambda', 'get-function', '--function-name', 'nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');
  }, 180_000); // each CLI run starts a Python interpreter: slow on a busy machine
});
