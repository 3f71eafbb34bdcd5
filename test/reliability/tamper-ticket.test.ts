import { createHash, randomUUID } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTicketConfig } from '../../solution/functions/upload-ticket/config.ts';
import { presignUpload } from '../../solution/functions/upload-ticket/presign.ts';
import { planTicket } from '../../solution/functions/upload-ticket/ticket.ts';
import { printFigures, RELIABILITY_SCALE } from './support/fuzz-scale.ts';
import type { Attempt } from './support/tamper-case-kit.ts';
import { AUTH_CASES } from './support/tamper-cases-auth.ts';
import { FORM_CASES } from './support/tamper-cases-form.ts';
import {
  craftForm,
  formOf,
  postForm,
  requestTicket,
  storedUnder,
  xmlError,
  type Form,
} from './support/tamper-forms.ts';
import { strayObjectFiles } from './support/store-guard.ts';
import { startTamperStack, type TamperStack } from './support/tamper-stack.ts';
import { eventually } from '../../scripts/test-support/local-stack.ts';

/**
 * Tickets from the deployed ticket function (through the HTTP API), and forms signed by hand with
 * real role-session secrets, tampered with one way each: S3 refuses every one with AWS's status,
 * code and message, and nothing is stored — no object under any key involved, nothing new under
 * `incoming/`, no temp or orphan file in the object folders.
 */
let stack: TamperStack;
const uploaded = new Set<string>();
const tally = { cases: 0, refused: 0, accepted: 0, stored: 0, lost: 0 };
const ROUNDS = Math.max(1, Math.round(RELIABILITY_SCALE));

beforeAll(async () => {
  stack = await startTamperStack();
}, 180_000);
afterAll(async () => {
  printFigures(
    'tamper-ticket',
    {
      cases: tally.cases + tally.accepted,
      'faults injected': tally.cases,
      'refused as AWS does': tally.refused,
      'control uploads': tally.accepted,
      'objects stored by a tampered form': tally.stored,
      'objects lost': tally.lost,
    },
    false,
  );
  await stack?.stop();
});

const bytesOf = async (bucket: string, key: string) => {
  const out = await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
};

async function expectUploaded(url: string, form: Form, key: string, body: string) {
  const response = await postForm(url, form, body);
  expect(response.status, response.text).toBe(204);
  expect((await bytesOf(stack.outputs.bucket, key)).toString()).toBe(body);
  uploaded.add(key);
  tally.accepted++;
  // Let the pipeline write its metadata record, so its own writes are not in flight during the checks.
  const record = `metadata/${key.slice('incoming/'.length)}.json`;
  await eventually(`the metadata record ${record}`, async () => {
    const { keys } = await storedUnder(stack.s3, stack.outputs.bucket, record, stack.dataDir);
    return keys.length ? true : undefined;
  });
}

/** Nothing under any key involved, `incoming/` holds only the control uploads, no stray files. */
async function expectNothingStored(keys: string[], buckets: string[]) {
  for (const bucket of buckets)
    for (const key of keys) {
      const { keys: found } = await storedUnder(stack.s3, bucket, key, stack.dataDir);
      tally.stored += found.length;
      expect(found, `${bucket}/${key}`).toEqual([]);
    }
  const { keys: incoming, strayFiles } = await storedUnder(
    stack.s3,
    stack.outputs.bucket,
    'incoming/',
    stack.dataDir,
  );
  tally.stored += incoming.filter((k) => !uploaded.has(k)).length;
  expect(incoming.sort()).toEqual([...uploaded].sort());
  // A write still in flight has a temp file for a moment; one that stays is a leak.
  if (strayFiles.length)
    await eventually(
      'no temp or orphan files',
      async () => ((await strayObjectFiles(stack.dataDir)).length === 0 ? true : undefined),
      5_000,
    );
}

describe('tampered upload tickets against the local AWS', () => {
  it('an untampered ticket from the deployed function uploads (the control)', async () => {
    const ticket = await requestTicket(stack.outputs.apiEndpoint, 'control.txt');
    await expectUploaded(ticket.upload.url, formOf(ticket), ticket.object_key, 'hello');
  });

  it('a form signed by hand with the signer session uploads (the control for crafted forms)', async () => {
    const key = `incoming/${randomUUID()}-crafted.txt`;
    const form = craftForm(key, stack.outputs.bucket, stack.signer, 300);
    await expectUploaded(`${stack.emulator.url}/${stack.outputs.bucket}`, form, key, 'hello');
  });

  // A soak (RELIABILITY_SCALE > 1) repeats every case with fresh tickets.
  it.each([...FORM_CASES, ...AUTH_CASES])('$name → $status $code', async (c) => {
    for (let round = 0; round < ROUNDS; round++) {
      const ticket = await requestTicket(stack.outputs.apiEndpoint, 'tamper.txt');
      const attempt: Attempt = await c.build(ticket, stack);
      const response = await postForm(attempt.url, attempt.form, attempt.file ?? 'hello', attempt.filename);
      tally.cases++;
      const error = xmlError(response.text);
      expect(response.status, response.text).toBe(c.status);
      expect(error['Code'], response.text).toBe(c.code);
      const message = typeof c.message === 'function' ? c.message(ticket, attempt) : c.message;
      if (message !== undefined) expect(error['Message']).toBe(message);
      for (const [name, value] of Object.entries(c.fields?.(ticket, attempt) ?? {}))
        expect(error[name], name).toBe(value);
      expect(error['RequestId']).toMatch(/^[0-9A-F]{16}$/);
      await expectNothingStored(
        [ticket.object_key, ...(attempt.keys ?? [])],
        [stack.outputs.bucket, stack.otherBucket],
      );
      tally.refused++;
    }
  });

  it('a replay after the ticket expired is refused (403 Policy expired) and the first upload stays intact', async () => {
    const config = readTicketConfig({
      UPLOAD_BUCKET: stack.outputs.bucket,
      UPLOAD_EXPIRES_SECONDS: '2',
      AWS_ENDPOINT_URL: stack.emulator.url,
    });
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: stack.emulator.url,
      forcePathStyle: true,
      credentials: stack.signer,
    });
    const plan = planTicket(
      { filename: 'replay.txt', contentType: 'text/plain', size: 5 },
      config,
      randomUUID(),
    );
    const upload = await presignUpload(client, plan);
    client.destroy();
    const form = Object.entries(upload.fields);
    await expectUploaded(upload.url, form, plan.key, 'first');
    const before = createHash('md5')
      .update(await bytesOf(stack.outputs.bucket, plan.key))
      .digest('hex');

    const policy = JSON.parse(Buffer.from(upload.fields['Policy']!, 'base64').toString()) as {
      expiration: string;
    };
    // Waiting for the ticket to expire is the point of the case: the policy's own clock.
    while (Date.now() <= Date.parse(policy.expiration) + 1000) await new Promise((r) => setTimeout(r, 250));
    const replay = await postForm(upload.url, form, 'second');
    tally.cases++;
    expect(replay.status, replay.text).toBe(403);
    expect(xmlError(replay.text)).toMatchObject({
      Code: 'AccessDenied',
      Message: 'Invalid according to Policy: Policy expired.',
    });
    const after = createHash('md5')
      .update(await bytesOf(stack.outputs.bucket, plan.key))
      .digest('hex');
    expect(after).toBe(before);
    await expectNothingStored([], [stack.otherBucket]);
    tally.refused++;
  });

  it('every upload the controls made is still there, byte for byte', async () => {
    for (const key of uploaded) {
      const body = (await bytesOf(stack.outputs.bucket, key)).toString();
      if (!['hello', 'first'].includes(body)) tally.lost++;
    }
    expect(tally.lost).toBe(0);
    expect(tally.refused).toBe(tally.cases);
  });
});
