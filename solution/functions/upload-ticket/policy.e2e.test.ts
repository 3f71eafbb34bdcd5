import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postForm, startLocalAws } from '../test-support/local-aws.ts';
import type { LocalAws } from '../test-support/local-aws.ts';
import { readTicketConfig } from './config.ts';
import { createTicketHandler } from './handler.ts';
import type { TicketResponse } from './handler.ts';

const BUCKET = 'policy-e2e-000000000000-us-east-1';
const MAX = 1024;
let aws: LocalAws;
let issue: (body: object) => Promise<TicketResponse>;

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  aws = await startLocalAws(BUCKET);
  const config = readTicketConfig({
    UPLOAD_BUCKET: BUCKET,
    AWS_ENDPOINT_URL: aws.url,
    MAX_UPLOAD_BYTES: String(MAX),
  });
  const run = createTicketHandler(() => config);
  issue = async (body) => {
    const result = await run({ version: '2.0', body: JSON.stringify(body) });
    expect(result.statusCode).toBe(200);
    return JSON.parse(result.body) as TicketResponse;
  };
});
afterAll(async () => {
  await aws?.stop();
  vi.restoreAllMocks();
});

async function exists(key: string): Promise<boolean> {
  try {
    await aws.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'NotFound') return false;
    throw err;
  }
}

describe('the upload ticket, enforced by the local S3', () => {
  it('accepts the file it was issued for, under the exact key, with type and original name', async () => {
    const ticket = await issue({ filename: 'my notes.txt', contentType: 'text/plain', size: 11 });
    const answer = await postForm(
      ticket.upload.url,
      ticket.upload.fields,
      new TextEncoder().encode('hello world'),
    );
    expect(answer.status).toBe(204);
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: ticket.object_key }));
    expect(head.ContentLength).toBe(11);
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata?.['original-name']).toBe('my%20notes.txt');
  });

  it('refuses a file over the size limit (EntityTooLarge) and stores nothing', async () => {
    const ticket = await issue({ filename: 'big.txt', contentType: 'text/plain' });
    const answer = await postForm(ticket.upload.url, ticket.upload.fields, new Uint8Array(MAX + 1));
    expect([answer.status, answer.code]).toEqual([400, 'EntityTooLarge']);
    expect(await exists(ticket.object_key)).toBe(false);
  });

  it('refuses an empty file (EntityTooSmall)', async () => {
    const ticket = await issue({ filename: 'empty.txt' });
    const answer = await postForm(ticket.upload.url, ticket.upload.fields, new Uint8Array(0));
    expect([answer.status, answer.code]).toEqual([400, 'EntityTooSmall']);
  });

  it('refuses the same ticket used for a different key (AccessDenied)', async () => {
    const ticket = await issue({ filename: 'a.txt' });
    const elsewhere = 'incoming/not-the-ticket-key.txt';
    const answer = await postForm(
      ticket.upload.url,
      { ...ticket.upload.fields, key: elsewhere },
      new Uint8Array(4),
    );
    expect([answer.status, answer.code]).toEqual([403, 'AccessDenied']);
    expect(await exists(elsewhere)).toBe(false);
  });

  it('refuses a different content type than the ticket names (AccessDenied)', async () => {
    const ticket = await issue({ filename: 'a.png', contentType: 'image/png' });
    const fields = { ...ticket.upload.fields, 'Content-Type': 'text/html' };
    const answer = await postForm(ticket.upload.url, fields, new Uint8Array(4));
    expect([answer.status, answer.code]).toEqual([403, 'AccessDenied']);
    expect(await exists(ticket.object_key)).toBe(false);
  });
});
