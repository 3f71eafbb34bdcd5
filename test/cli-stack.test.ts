import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../emulator/test-support/aws-cli.ts';
import { startTestEmulator, type TestEmulator } from '../emulator/test-support/start-test-emulator.ts';
import { TICKET_SOURCE } from '../emulator/services/apigatewayv2/test-kit.ts';

/**
 * The lab's whole stack, built on the local AWS with the Debian AWS CLI alone, then used the
 * way the browser will: `curl` with an `Origin` gets an upload ticket (with the API's CORS
 * headers), the file goes to S3 with that ticket, and the notification-triggered function sees
 * `ObjectCreated:Post`.
 */
const CURL = '/usr/bin/curl';
const hasCurl = existsSync(CURL);
const ORIGIN = 'http://localhost:5173';
const BUCKET = 'upload-lab-000000000000-us-east-1';
const ACCOUNT = '000000000000';

const OBSERVER_FUNCTION = `
import { writeFileSync } from 'node:fs';
export const handler = async (event) => {
  writeFileSync(process.env.OBSERVE_DIR + '/' + Date.now() + '-' + Math.random() + '.json', JSON.stringify(event));
};
`;

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

let emulator: TestEmulator;
let work: string;

/** Runs the CLI and parses its JSON output; a failing command fails the test with its stderr. */
async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const result = await runAws(emulator.url, [...args, '--output', 'json']);
  if (result.code !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim() ? (JSON.parse(result.stdout) as Record<string, unknown>) : {};
}

function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(CURL, ['-sS', ...args], { maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`curl failed: ${stderr}`)) : resolve(stdout),
    ),
  );
}

/** A function from one hand-written `index.mjs`, zipped here, with its own role. */
async function createFunction(
  name: string,
  source: string,
  environment: Record<string, string>,
): Promise<string> {
  const role = (
    await aws('iam', 'create-role', '--role-name', `${name}-role`, '--assume-role-policy-document', TRUST)
  )['Role'] as { Arn: string; RoleName: string };
  const zip = join(work, `${name}.zip`);
  await writeFile(zip, zipSync({ 'index.mjs': strToU8(source) }));
  const fn = await aws(
    'lambda',
    'create-function',
    '--function-name',
    name,
    '--runtime',
    'nodejs20.x',
    '--handler',
    'index.handler',
    '--role',
    role.Arn,
    '--zip-file',
    `fileb://${zip}`,
    '--timeout',
    '10',
    '--environment',
    JSON.stringify({ Variables: environment }),
  );
  await aws('lambda', 'wait', 'function-active-v2', '--function-name', name);
  return fn['FunctionArn'] as string;
}

beforeAll(async () => {
  if (!hasAwsCli || !hasCurl) return;
  emulator = await startTestEmulator();
  work = await mkdtemp(join(tmpdir(), 'cli-stack-'));
});
afterAll(async () => {
  if (!hasAwsCli || !hasCurl) return;
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
});

describe.skipIf(!hasAwsCli || !hasCurl)('the lab stack built with /usr/bin/aws only', () => {
  it('issues a ticket over the HTTP API with CORS, and the upload it allows reaches the pipeline', async () => {
    // The ticket function: role, inline policy, code from a zip.
    const ticketFn = await createFunction('upload-ticket', TICKET_SOURCE, { UPLOAD_BUCKET: BUCKET });
    const put = { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/incoming/*` };
    await aws(
      'iam',
      'put-role-policy',
      '--role-name',
      'upload-ticket-role',
      '--policy-name',
      'upload-ticket-put',
      '--policy-document',
      JSON.stringify({ Version: '2012-10-17', Statement: [put] }),
    );

    // The HTTP API with CORS, its integration, the route, an auto-deploying stage, the permission.
    const cors = { AllowOrigins: [ORIGIN], AllowMethods: ['POST'], AllowHeaders: ['content-type'] };
    const api = await aws(
      'apigatewayv2',
      'create-api',
      '--name',
      'upload-lab-api',
      '--protocol-type',
      'HTTP',
      '--cors-configuration',
      JSON.stringify(cors),
    );
    const apiId = api['ApiId'] as string;
    const integration = await aws(
      'apigatewayv2',
      'create-integration',
      '--api-id',
      apiId,
      '--integration-type',
      'AWS_PROXY',
      '--integration-uri',
      ticketFn,
      '--payload-format-version',
      '2.0',
    );
    await aws(
      'apigatewayv2',
      'create-route',
      '--api-id',
      apiId,
      '--route-key',
      'POST /upload-url',
      '--target',
      `integrations/${integration['IntegrationId'] as string}`,
    );
    await aws('apigatewayv2', 'create-stage', '--api-id', apiId, '--stage-name', '$default', '--auto-deploy');
    await aws(
      'lambda',
      'add-permission',
      '--function-name',
      'upload-ticket',
      '--statement-id',
      'apigateway',
      '--action',
      'lambda:InvokeFunction',
      '--principal',
      'apigateway.amazonaws.com',
      '--source-arn',
      `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/*/*/upload-url`,
    );

    // The bucket, its CORS, and the pipeline function notified of new objects.
    await aws('s3api', 'create-bucket', '--bucket', BUCKET);
    await aws(
      's3api',
      'put-bucket-cors',
      '--bucket',
      BUCKET,
      '--cors-configuration',
      JSON.stringify({
        CORSRules: [{ AllowedOrigins: [ORIGIN], AllowedMethods: ['POST'], AllowedHeaders: ['*'] }],
      }),
    );
    const seen = join(work, 'observed');
    await rm(seen, { recursive: true, force: true });
    await mkdir(seen);
    const observerFn = await createFunction('observer', OBSERVER_FUNCTION, { OBSERVE_DIR: seen });
    await aws(
      'lambda',
      'add-permission',
      '--function-name',
      'observer',
      '--statement-id',
      's3-invoke',
      '--action',
      'lambda:InvokeFunction',
      '--principal',
      's3.amazonaws.com',
      '--source-arn',
      `arn:aws:s3:::${BUCKET}`,
      '--source-account',
      ACCOUNT,
    );
    await aws(
      's3api',
      'put-bucket-notification-configuration',
      '--bucket',
      BUCKET,
      '--notification-configuration',
      JSON.stringify({
        LambdaFunctionConfigurations: [{ LambdaFunctionArn: observerFn, Events: ['s3:ObjectCreated:*'] }],
      }),
    );

    // The browser's first step, by curl: a ticket, with the API's CORS headers.
    const raw = await curl([
      '-i',
      '-X',
      'POST',
      `${api['ApiEndpoint'] as string}/upload-url`,
      '-H',
      `Origin: ${ORIGIN}`,
      '-H',
      'content-type: application/json',
      '--data',
      JSON.stringify({ filename: 'cat.txt' }),
    ]);
    const [head, body] = raw.split('\r\n\r\n', 2) as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head.toLowerCase()).toContain(`access-control-allow-origin: ${ORIGIN}`);
    expect(head.toLowerCase()).toContain('vary: origin');
    expect(head.toLowerCase()).toMatch(/apigw-requestid: \S+/);
    const ticket = JSON.parse(body) as {
      upload: { url: string; fields: Record<string, string> };
      object_key: string;
    };
    expect(ticket.object_key).toBe('incoming/cat.txt');
    expect(ticket.upload.fields['X-Amz-Security-Token']).toBeTruthy();

    // The second step: the file straight to S3 with the ticket.
    const file = join(work, 'cat.txt');
    await writeFile(file, 'meow, the lab works\n');
    const form = Object.entries(ticket.upload.fields).flatMap(([k, v]) => ['--form-string', `${k}=${v}`]);
    const upload = await curl([
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      `Origin: ${ORIGIN}`,
      ...form,
      '-F',
      `file=@${file}`,
      ticket.upload.url,
    ]);
    expect(upload).toBe('204');
    const head2 = await aws('s3api', 'head-object', '--bucket', BUCKET, '--key', ticket.object_key);
    expect(head2['ContentLength']).toBe(20);

    // The pipeline's view: the observer got ObjectCreated:Post for that key.
    const deadline = Date.now() + 30_000;
    let files: string[] = [];
    while (files.length === 0 && Date.now() < deadline) {
      files = await readdir(seen);
      if (files.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(files, 'the observer function was never invoked').toHaveLength(1);
    const event = JSON.parse(await readFile(join(seen, files[0]!), 'utf8')) as {
      Records: Array<{
        eventName: string;
        s3: { bucket: { name: string }; object: { key: string; size: number } };
      }>;
    };
    expect(event.Records[0]).toMatchObject({
      eventName: 'ObjectCreated:Post',
      s3: { bucket: { name: BUCKET }, object: { key: 'incoming/cat.txt', size: 20 } },
    });
  }, 300_000); // about twenty CLI runs at 1-3 s each (Python start-up)
});
