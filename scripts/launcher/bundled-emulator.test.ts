import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, executionRole, invoke, lambdaClient } from '../../emulator/services/lambda/test-kit.ts';
import { hasBoto3 } from '../../emulator/test-support/python.ts';
import { RUN } from './run-process.ts';

/**
 * `npm run emulator` as a bundle, built into a folder of its own: the local AWS must still
 * find the files it locates from its own modules (the Lambda runtimes' bootstraps, the project's
 * node_modules, package.json), so a function runs as it does under tsx.
 */
let dir: string;
let child: ChildProcess;
let url: string;
let stderr = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-bundled-emulator-'));
  child = spawn(
    process.execPath,
    [RUN, 'scripts/emulator.ts', '--port', '0', '--data', path.join(dir, 'aws')],
    {
      cwd: path.resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LAB_BUILD_DIR: path.join(dir, 'build'), LAB_BUILD_LOG: '1' },
    },
  );
  url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      const m = /AWS_ENDPOINT_URL=(http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the bundled emulator exited (${code}):\n${stderr}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('the local AWS run by scripts/run.mjs', () => {
  it('runs from its bundle, not from the TypeScript sources', async () => {
    expect(stderr).toMatch(/^lab: built .*scripts-emulator\.mjs in \d+ ms$/m);
    expect(await readdir(path.join(dir, 'build'))).toContain('scripts-emulator.mjs');
  });

  it('starts a Node.js function with its bootstrap and answers the invocation', async () => {
    const lambda = lambdaClient(url);
    const role = await executionRole(url, 'bundled-node-role');
    await deploy(lambda, {
      name: 'bundled-node',
      role,
      files: {
        'index.mjs':
          "import { S3Client } from '@aws-sdk/client-s3';\n" +
          'export const handler = async (event) => ({ echo: event.n, sdk: typeof S3Client });\n',
      },
    });
    const out = await invoke(lambda, 'bundled-node', { n: 7 });
    expect([out.status, out.functionError, out.body]).toEqual([200, undefined, { echo: 7, sdk: 'function' }]);
    lambda.destroy();
  });

  it.skipIf(!hasBoto3)('starts a Python function with its bootstrap', async () => {
    const lambda = lambdaClient(url);
    const role = await executionRole(url, 'bundled-python-role');
    await deploy(lambda, {
      name: 'bundled-python',
      role,
      Runtime: 'python3.12',
      files: { 'index.py': 'def handler(event, context):\n    return {"twice": event["n"] * 2}\n' },
    });
    const out = await invoke(lambda, 'bundled-python', { n: 21 });
    expect([out.status, out.functionError, out.body]).toEqual([200, undefined, { twice: 42 }]);
    lambda.destroy();
  });
});
