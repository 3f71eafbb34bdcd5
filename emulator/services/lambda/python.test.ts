import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { hasBoto3 } from '../../test-support/python.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { deploy, executionRole, invoke, lambdaClient } from './test-kit.ts';

const BUCKET = 'py-tickets';

/** The upload-ticket function in Python: boto3's generate_presigned_post, default and SigV4 signing. */
const TICKET = `
import os
import boto3
import botocore
from botocore.config import Config

sts = boto3.client("sts")

def handler(event, context):
    config = Config(signature_version="s3v4") if event.get("v4") else None
    s3 = boto3.client("s3", config=config)
    post = s3.generate_presigned_post(
        os.environ["BUCKET"],
        "incoming/" + event["name"],
        Conditions=[["content-length-range", 1, 1024]],
        ExpiresIn=300,
    )
    print("issued", post["fields"]["key"])
    return {"caller": sts.get_caller_identity()["Arn"], "post": post, "botocore": botocore.__version__}

def fails(event, context):
    raise ValueError("no ticket for you")

def slow(event, context):
    import time
    time.sleep(10)
`;

interface Ticket {
  caller: string;
  botocore: string;
  post: { url: string; fields: Record<string, string> };
}

async function upload(ticket: Ticket): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.post.fields)) form.append(k, v);
  form.append('file', new Blob(['hello from python'], { type: 'text/plain' }), 'hello.txt');
  return fetch(ticket.post.url, { method: 'POST', body: form });
}

describe.skipIf(!hasBoto3)('Python runtime (python3 with boto3)', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;
  let role: string;
  const files = { 'lambda_function.py': TICKET };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = lambdaClient(emulator.url);
    await s3Client(emulator.url).send(new CreateBucketCommand({ Bucket: BUCKET }));
    role = await executionRole(emulator.url, 'py-ticket-role', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/incoming/*` }],
    });
    const common = {
      role,
      files,
      Runtime: 'python3.12' as const,
      Environment: { Variables: { BUCKET } },
      Timeout: 15,
    };
    await deploy(client, { name: 'py-ticket', Handler: 'lambda_function.handler', ...common });
    await deploy(client, { name: 'py-fails', Handler: 'lambda_function.fails', ...common });
    await deploy(client, { name: 'py-missing', Handler: 'lambda_function.nothing_here', ...common });
    await deploy(client, { name: 'py-no-module', Handler: 'tickets.handler', ...common });
    await deploy(client, { name: 'py-slow', Handler: 'lambda_function.slow', ...common, Timeout: 1 });
  });
  afterAll(() => emulator.stop());

  it('issues a boto3 presigned POST as the role session that S3 accepts (SigV2 by default, and SigV4)', async () => {
    for (const [name, v4] of [
      ['default.txt', false],
      ['v4.txt', true],
    ] as const) {
      const out = await invoke(client, 'py-ticket', { name, v4 });
      expect(out.functionError).toBeUndefined();
      const ticket = out.body as Ticket;
      expect(ticket.caller).toBe('arn:aws:sts::000000000000:assumed-role/py-ticket-role/py-ticket');
      expect(ticket.post.url).toBe(`${emulator.url}/${BUCKET}`);
      expect(ticket.post.fields['x-amz-security-token']).toBeTruthy();
      if (v4)
        expect(ticket.post.fields['x-amz-credential']).toMatch(
          /^ASIA\w+\/\d{8}\/us-east-1\/s3\/aws4_request$/,
        );
      else expect(ticket.post.fields['AWSAccessKeyId']).toMatch(/^ASIA/);
      expect(out.log).toContain(`issued incoming/${name}`);
      const response = await upload(ticket);
      expect(response.status).toBe(204);
      const head = await s3Client(emulator.url).send(
        new HeadObjectCommand({ Bucket: BUCKET, Key: `incoming/${name}` }),
      );
      expect(head.ContentLength).toBe(17);
    }
  });

  it('returns Python error payloads', async () => {
    const failed = await invoke(client, 'py-fails');
    expect(failed.functionError).toBe('Unhandled');
    expect(failed.body).toMatchObject({
      errorMessage: 'no ticket for you',
      errorType: 'ValueError',
      requestId: failed.requestId,
    });
    expect((failed.body as { stackTrace: string[] }).stackTrace[0]).toMatch(
      /lambda_function.py", line \d+, in fails/,
    );
    expect(failed.log).toContain('[ERROR] ValueError: no ticket for you');
    expect((await invoke(client, 'py-missing')).body).toEqual({
      errorMessage: "Handler 'nothing_here' missing on module 'lambda_function'",
      errorType: 'Runtime.HandlerNotFound',
      requestId: '',
      stackTrace: [],
    });
    expect((await invoke(client, 'py-no-module')).body).toEqual({
      errorMessage: "Unable to import module 'tickets': No module named 'tickets'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
    const slow = await invoke(client, 'py-slow');
    expect(slow.body).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${slow.requestId} Error: Task timed out after 1.00 seconds`,
    });
  });
});

describe('Python runtime without a usable python3', () => {
  let emulator: TestEmulator;
  const previous = process.env['EMULATOR_PYTHON'];

  beforeAll(async () => {
    process.env['EMULATOR_PYTHON'] = '/nonexistent/python3';
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env['EMULATOR_PYTHON'];
    else process.env['EMULATOR_PYTHON'] = previous;
    await emulator.stop();
  });

  it('answers every invocation with an error that names what is missing and how to fix it', async () => {
    const client = lambdaClient(emulator.url);
    const role = await executionRole(emulator.url, 'py-role');
    await deploy(client, {
      name: 'py-nowhere',
      role,
      files: { 'lambda_function.py': 'def handler(e, c):\n    return 1\n' },
      Runtime: 'python3.12',
      Handler: 'lambda_function.handler',
    });
    const out = await invoke(client, 'py-nowhere');
    expect(out.functionError).toBe('Unhandled');
    const body = out.body as { errorType: string; errorMessage: string };
    expect(body.errorType).toBe('Runtime.Unavailable');
    expect(body.errorMessage).toBe(
      'LAB_PYTHON_MISSING: the python3.12 runtime needs a python3 that can import boto3, and none was found ' +
        '(/nonexistent/python3: not found). Install one (Debian/Ubuntu: "apt-get install python3-boto3", ' +
        'or "pip install boto3"), or set EMULATOR_PYTHON to its path.',
    );
  });
});
