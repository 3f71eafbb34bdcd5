import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signingKey } from './signing-keys.ts';

/** The derivation written out from AWS's page, to check the cached one against. */
function derive(secret: string, date: string, region: string, service: string): Buffer {
  let key: Buffer | string = `AWS4${secret}`;
  for (const part of [date, region, service, 'aws4_request'])
    key = createHmac('sha256', key).update(part).digest();
  return key as Buffer;
}

describe('signingKey', () => {
  it('derives the SigV4 key for the secret, day, region and service', async () => {
    const key = await signingKey(
      'AKID',
      'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      '20150830',
      'us-east-1',
      'iam',
    );
    // AWS's worked example (create-signed-request.html, "derive a signing key").
    expect(Buffer.from(key).toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
  });

  it('keys the cache on everything the key depends on', async () => {
    const a = await signingKey('AKID', 'secret-1', '20260101', 'us-east-1', 's3');
    expect(Buffer.from(a)).toEqual(derive('secret-1', '20260101', 'us-east-1', 's3'));
    for (const [secret, date, region, service] of [
      ['secret-2', '20260101', 'us-east-1', 's3'],
      ['secret-1', '20260102', 'us-east-1', 's3'],
      ['secret-1', '20260101', 'eu-west-1', 's3'],
      ['secret-1', '20260101', 'us-east-1', 'iam'],
    ] as const) {
      const other = await signingKey('AKID', secret, date, region, service);
      expect(Buffer.from(other)).toEqual(derive(secret, date, region, service));
      expect(Buffer.from(other)).not.toEqual(Buffer.from(a));
    }
  });

  it('stays right when more keys are used than it keeps', async () => {
    for (let i = 0; i < 100; i++) {
      const secret = `secret-${i % 70}`;
      expect(Buffer.from(await signingKey(`K${i}`, secret, '20260101', 'us-east-1', 's3'))).toEqual(
        derive(secret, '20260101', 'us-east-1', 's3'),
      );
    }
  });
});
