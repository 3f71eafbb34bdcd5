import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
let home: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'lab-cli-home-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** The environment of someone with no AWS setup at all. */
function bareEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
  };
}

async function cli(
  verb: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await run(process.execPath, ['--import', 'tsx', `scripts/${verb}.ts`, ...args], {
      cwd: ROOT,
      env: bareEnv(),
    });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.concurrent('the command lines', () => {
  it.each(['deploy', 'solve', 'teardown'])('%s --help prints its usage and exits 0', async (verb) => {
    const out = await cli(verb, '--help');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`Usage: npm run ${verb} --`);
  });

  it.each([
    ['deploy', ['--stagee', 'solution'], 'LAB_USAGE: unknown option --stagee'],
    ['deploy', ['--stage', 'final'], 'LAB_USAGE: --stage must be baseline or solution'],
    ['deploy', ['--local', '--name', 'Upload_Lab'], 'LAB_USAGE: --name "Upload_Lab"'],
    ['deploy', ['--local', '--origin', 'http://localhost:5173/app/'], 'LAB_USAGE: --origin'],
    ['deploy', ['--region'], 'LAB_USAGE: --region needs a value'],
    ['solve', [], 'LAB_USAGE: name the check to solve'],
    ['solve', ['api-corz'], 'LAB_UNKNOWN_CHECK'],
    ['teardown', ['extra'], 'LAB_USAGE: unexpected argument'],
  ])('%s %j exits 2 with a coded error', async (verb, args, message) => {
    const out = await cli(verb, ...args);
    expect(out.stderr).toContain(message);
    expect(out.code).toBe(2);
  });

  it('refuses a region that is not a region name (LAB_BAD_REGION)', async () => {
    const out = await cli('deploy', '--region', 'mars');
    expect(out.stderr).toContain('LAB_BAD_REGION: "mars" is not an AWS region name');
    expect(out.code).toBe(2);
  });

  it('says no credentials were found, and how to fix it (LAB_NO_CREDENTIALS)', async () => {
    const out = await cli('deploy', '--region', 'us-east-1');
    expect(out.stderr).toContain('LAB_NO_CREDENTIALS: no AWS credentials found.');
    expect(out.stderr).toContain('aws configure');
    expect(out.code).toBe(2);
  });

  it('says nothing answers at an endpoint that is down (LAB_ENDPOINT_UNREACHABLE)', async () => {
    const out = await cli(
      'teardown',
      '--endpoint',
      'http://127.0.0.1:9',
      '--outputs',
      path.join(home, 'none.json'),
    );
    expect(out.stderr).toContain('LAB_ENDPOINT_UNREACHABLE: nothing answers at http://127.0.0.1:9');
    expect(out.stderr).toContain('npm run emulator');
    expect(out.code).toBe(2);
  });

  it('solve of a verifying row says it changes nothing and exits 0', async () => {
    const out = await cli('solve', 'ticket-scope');
    expect(out.stderr).toContain('ticket-scope has no change of its own');
    expect(out.code).toBe(0);
  });

  it('emulator --help documents --consistency, and a bad mode is a usage error', async () => {
    const help = await cli('emulator', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--consistency immediate: every change takes effect at once');
    expect(help.stdout).toContain('--consistency-scale F');
    const bad = await cli('emulator', '--consistency', 'eventual', '--port', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('LAB_USAGE: --consistency must be "immediate" or "aws", not "eventual"');
  });
});
