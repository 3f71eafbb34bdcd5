import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetBucketCorsCommand,
  GetBucketPolicyCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { eventually } from '../../test-support/eventually.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

const cors = (origin: string) => ({
  CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: ['POST'], AllowedHeaders: ['*'] }],
});

// §11.3: bucket configurations are eventually consistent; with --consistency aws a CORS change
// is enforced after its delay (GetBucketCors answers the new rules at once).
describe('bucket CORS under --consistency aws', () => {
  let emulator: TestEmulator;
  let s3: S3Client;

  beforeAll(async () => {
    emulator = await startTestEmulator({ consistency: 'aws' });
    s3 = s3Client(emulator.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'delayed-cors' }));
  });
  afterAll(() => emulator?.stop());

  const preflight = (origin: string) =>
    fetch(`${emulator.url}/delayed-cors/incoming/x`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
    }).then(async (r) => ({
      status: r.status,
      origin: r.headers.get('access-control-allow-origin'),
      body: await r.text(),
    }));

  it('enforces a new CORS configuration only after its delay, the previous one meanwhile', async () => {
    await s3.send(
      new PutBucketCorsCommand({ Bucket: 'delayed-cors', CORSConfiguration: cors('http://one.test') }),
    );
    const first = await preflight('http://one.test');
    expect(first.status).toBe(403);
    expect(first.body).toContain('CORSResponse: CORS is not enabled for this bucket.');
    await eventually(async () => ((await preflight('http://one.test')).status === 200 ? true : undefined));

    await s3.send(
      new PutBucketCorsCommand({ Bucket: 'delayed-cors', CORSConfiguration: cors('http://two.test') }),
    );
    expect(
      (await s3.send(new GetBucketCorsCommand({ Bucket: 'delayed-cors' }))).CORSRules?.[0]?.AllowedOrigins,
    ).toEqual(['http://two.test']);
    expect(await preflight('http://one.test')).toMatchObject({ status: 200, origin: 'http://one.test' });
    expect((await preflight('http://two.test')).status).toBe(403);
    await eventually(async () => ((await preflight('http://two.test')).status === 200 ? true : undefined));
    expect((await preflight('http://one.test')).status).toBe(403);
  });

  it('puts a pending CORS change in force at once after a restart (it never vanishes)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'restart-cors' }));
    await s3.send(
      new PutBucketCorsCommand({ Bucket: 'restart-cors', CORSConfiguration: cors('http://three.test') }),
    );
    await emulator.stopKeepingData();
    emulator = await startTestEmulator({ dataDir: emulator.dataDir, consistency: 'aws' });
    s3 = s3Client(emulator.url);
    const res = await fetch(`${emulator.url}/restart-cors/x`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://three.test', 'Access-Control-Request-Method': 'POST' },
    });
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://three.test');
  });
});

// §11.3 / §11.5: a bucket policy (and Block Public Access) reaches authorization after its delay.
describe('bucket policy under --consistency aws', () => {
  let emulator: TestEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator({ consistency: 'aws' });
  });
  afterAll(() => emulator?.stop());

  it('lets anonymous readers in only once a public policy and the BPA change are in force', async () => {
    const s3 = s3Client(emulator.url);
    const Bucket = 'delayed-policy';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'doc.txt', Body: 'hi' }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` },
      ],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    // GetBucketPolicy answers the new policy at once; anonymous reads wait for it to be in force.
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(Policy);
    const read = () =>
      fetch(`${emulator.url}/${Bucket}/doc.txt`).then(async (r) => ({
        status: r.status,
        body: await r.text(),
      }));
    const first = await read();
    expect(first.status).toBe(403);
    expect(first.body).toContain('<Code>AccessDenied</Code>');
    const later = await eventually(async () => {
      const r = await read();
      return r.status === 200 ? r : undefined;
    });
    expect(later.body).toBe('hi');
  });
});
