import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { deploy, executionRole, invoke, lambdaClient } from './test-kit.ts';

const BUCKET = 'ticket-bucket';

/** An upload-ticket function: who it runs as, and a presigned POST for one key. */
const TICKET = `
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
export const handler = async (event) => {
  const me = await new STSClient({}).send(new GetCallerIdentityCommand({}));
  const s3 = new S3Client({ forcePathStyle: true });
  const post = await createPresignedPost(s3, {
    Bucket: process.env.BUCKET,
    Key: 'incoming/' + event.name,
    Conditions: [['content-length-range', 1, 1024]],
    Expires: 300,
  });
  return { caller: me.Arn, post };
};`;

interface Ticket {
  caller: string;
  post: { url: string; fields: Record<string, string> };
}

/** Posts a small file with a ticket's fields, as a browser form would. */
async function upload(ticket: Ticket, text: string): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.post.fields)) form.append(k, v);
  form.append('file', new Blob([text], { type: 'text/plain' }), 'hello.txt');
  return fetch(ticket.post.url, { method: 'POST', body: form });
}

describe('functions sign as their execution role', () => {
  let emulator: TestEmulator;
  let client: LambdaClient;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = lambdaClient(emulator.url);
    await s3Client(emulator.url).send(new CreateBucketCommand({ Bucket: BUCKET }));
    const allowed = await executionRole(emulator.url, 'ticket-role', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/incoming/*` }],
    });
    const bare = await executionRole(emulator.url, 'bare-role');
    const Environment = { Variables: { BUCKET } };
    await deploy(client, { name: 'ticket', role: allowed, files: { 'index.mjs': TICKET }, Environment });
    await deploy(client, { name: 'ticket-no-put', role: bare, files: { 'index.mjs': TICKET }, Environment });
  });
  afterAll(() => emulator.stop());

  it('issues a presigned POST signed by the role session, which S3 accepts', async () => {
    const out = await invoke(client, 'ticket', { name: 'a.txt' });
    expect(out.functionError).toBeUndefined();
    const ticket = out.body as Ticket;
    expect(ticket.caller).toBe('arn:aws:sts::000000000000:assumed-role/ticket-role/ticket');
    expect(ticket.post.url).toBe(`${emulator.url}/${BUCKET}`);
    expect(ticket.post.fields['X-Amz-Credential']).toMatch(
      /^ASIA[A-Z0-9]+\/\d{8}\/us-east-1\/s3\/aws4_request$/,
    );
    expect(ticket.post.fields['X-Amz-Security-Token']).toBeTruthy();
    const response = await upload(ticket, 'hello');
    expect(response.status).toBe(204);
    const head = await s3Client(emulator.url).send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'incoming/a.txt' }),
    );
    expect(head.ContentLength).toBe(5);
  });

  it('is refused at upload time when the role lacks s3:PutObject', async () => {
    const ticket = (await invoke(client, 'ticket-no-put', { name: 'b.txt' })).body as Ticket;
    expect(ticket.caller).toBe('arn:aws:sts::000000000000:assumed-role/bare-role/ticket-no-put');
    const response = await upload(ticket, 'hello');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
  });
});
