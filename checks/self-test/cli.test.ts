import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRun } from '../discovery.ts';
import { createClients, destroyClients, LOCAL_CREDENTIALS, type AwsClients } from '../lib/aws.ts';
import type { LabOutputs } from '../lib/outputs.ts';
import type { JsonReport } from '../report/json.ts';
import { REPO, SELF_TEST_MISSING } from './stack.ts';

const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const CLI = join(REPO, 'checks', 'cli.ts');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [CLI, ...args],
      { cwd, env: { PATH: process.env['PATH'], ...env }, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe.skipIf(SELF_TEST_MISSING)('npm run check, as a process', () => {
  let dir: string;
  let emptyDir: string;
  let endpoint: string;
  let outputs: LabOutputs;
  let aws: AwsClients;
  let stop: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  const frontendDir = join(REPO, 'solution', 'frontend');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'checks-cli-'));
    emptyDir = join(dir, 'elsewhere');
    await mkdir(emptyDir);
    const { startEmulator } = await import('../../emulator/server.ts');
    const { deploy } = await import('../../scripts/deploy.ts');
    const emulator = await startEmulator({ port: 0, dataDir: join(dir, 'aws'), quiet: true });
    stop = emulator.stop;
    endpoint = emulator.url;
    const origin = `http://localhost:${await freePort()}`;
    const deployed = await deploy({
      endpoint,
      origin,
      credentials: LOCAL_CREDENTIALS,
      stage: 'solution',
      outputsFile: join(dir, '.lab', 'outputs.json'),
    });
    outputs = deployed.outputs;
    aws = createClients({ region: outputs.region, endpoint, credentials: LOCAL_CREDENTIALS });
    env = { AWS_ENDPOINT_URL: endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', HOME: dir };
  });
  afterAll(async () => {
    if (aws) destroyClients(aws);
    await stop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes the solution: exit 0, plain lines, JSON on stdout, JUnit in a file, the summary last', async () => {
    const junit = join(dir, 'junit.xml');
    const ran = await cli(['--local', '--json', '--junit', junit, '--frontend-dir', frontendDir], dir, env);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain('PASS  browser-upload — S3 accepts the direct browser upload');
    expect(lastLine(ran.stderr)).toBe('9 passed, 0 failed, 0 skipped');
    const json = JSON.parse(ran.stdout) as JsonReport;
    expect(json.rows.map((r) => [r.id, r.status])).toEqual(json.rows.map((r) => [r.id, 'pass']));
    expect(json.target.apiId).toBe(outputs.apiId);
    expect(json.rows[0]?.timings.durationMs).toBeGreaterThanOrEqual(0);
    const xml = await readFile(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(9);
    expect(xml).not.toContain('<failure');
  });

  it('exits 1 with what to change when a row fails', async () => {
    const Bucket = outputs.bucket;
    const saved = (await aws.s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules ?? [];
    await aws.s3.send(new DeleteBucketCorsCommand({ Bucket }));
    try {
      const ran = await cli(['--local', '--only', 'bucket-cors'], dir, env);
      expect(ran.code, ran.stderr).toBe(1);
      expect(ran.stderr).toContain(`FAIL  bucket-cors — Browser can POST directly to S3`);
      expect(ran.stderr).toContain(`Fix: Bucket \`${Bucket}\` has no CORS configuration`);
      expect(ran.stderr).toContain('(bucket-cors.missing)');
      expect(lastLine(ran.stderr)).toBe('0 passed, 1 failed, 0 skipped');
    } finally {
      await aws.s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: saved } }));
    }
  });

  it('exits 2 for a usage error, and for no credentials', async () => {
    const usage = await cli(['--only', 'api-cor'], dir, env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^LAB_USAGE: unknown row "api-cor"/);
    const bare = {
      HOME: dir,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    };
    const none = await cli(['--only', 'bucket-private'], emptyDir, bare);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toMatch(
      /^LAB_NO_CREDENTIALS: no AWS credentials found\. Run "aws configure" or set AWS_PROFILE, or use --local\./,
    );
  });

  it('exits 2 when nothing answers at the endpoint', async () => {
    const ran = await cli(['--local'], emptyDir, {
      ...env,
      AWS_ENDPOINT_URL: `http://localhost:${await freePort()}`,
    });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(
      /^LAB_ENDPOINT_UNREACHABLE: nothing answers at http:\/\/localhost:\d+ \(ECONNREFUSED\)\. Start the local AWS with "npm run emulator"/,
    );
  });

  it('prints its usage', async () => {
    const help = await cli(['--help'], dir, env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run check -- \[options\]/);
  });

  it('finds the stack by walking the account when there are no outputs, as deploy described it', async () => {
    const run = await resolveRun({
      local: true,
      endpoint,
      cwd: emptyDir,
      frontendUrl: `${outputs.frontendOrigin}/app/`,
    });
    destroyClients(run.aws);
    expect(run.source).toBe('discovered');
    expect(run.target).toEqual({ ...outputs, endpoint });
  });

  it('names the flag to pass when two stacks could be the lab', async () => {
    const { deploy } = await import('../../scripts/deploy.ts');
    const other = await deploy({
      endpoint,
      credentials: LOCAL_CREDENTIALS,
      name: 'other-lab',
      stage: 'solution',
      outputsFile: false,
    });
    const ids = [outputs.apiId, other.outputs.apiId];
    const ran = await cli(['--local', '--only', 'bucket-private'], emptyDir, env);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(
      /^LAB_AMBIGUOUS_API: found 2 HTTP APIs with POST \/upload-url \(([a-z0-9]+), ([a-z0-9]+)\)\. Pass --api ID\./,
    );
    for (const id of ids) expect(ran.stderr).toContain(id);
    const chosen = await cli(
      ['--local', '--only', 'bucket-private', '--api', other.outputs.apiEndpoint],
      emptyDir,
      env,
    );
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stderr).toContain(`Checking API ${other.outputs.apiId}, bucket ${other.outputs.bucket}`);
  });
});
