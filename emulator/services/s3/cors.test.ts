import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  type CORSRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { expectSdkError, expectXmlError, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

async function bucketWithCors(rules?: CORSRule[]): Promise<string> {
  const Bucket = uniqueBucket('cors');
  await s3.send(new CreateBucketCommand({ Bucket }));
  if (rules) await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: rules } }));
  return Bucket;
}

const preflight = (path: string, headers: Record<string, string>) =>
  fetch(`${emulator.url}/${path}`, { method: 'OPTIONS', headers });

describe('bucket CORS configuration', () => {
  it('stores, returns exactly as sent, and deletes', async () => {
    const rules: CORSRule[] = [
      {
        ID: 'first',
        AllowedHeaders: ['x-AMZ-server-SIDE-encryption', 'content-type'],
        AllowedMethods: ['POST', 'GET'],
        AllowedOrigins: ['http://localhost:5173', ''],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: 300,
      },
      { AllowedMethods: ['GET'], AllowedOrigins: ['*'] },
    ];
    const Bucket = await bucketWithCors(rules);
    expect((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules).toEqual(rules);
    const deleted = await s3.send(new DeleteBucketCorsCommand({ Bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectSdkError(
      s3.send(new GetBucketCorsCommand({ Bucket })),
      404,
      'NoSuchCORSConfiguration',
      'The CORS configuration does not exist',
      { BucketName: Bucket },
    );
    expect((await s3.send(new DeleteBucketCorsCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
  });

  it('refuses an unsupported method and an empty rule list', async () => {
    const Bucket = await bucketWithCors();
    await expectSdkError(
      s3.send(
        new PutBucketCorsCommand({
          Bucket,
          CORSConfiguration: { CORSRules: [{ AllowedMethods: ['MYMETHOD'], AllowedOrigins: ['*'] }] },
        }),
      ),
      400,
      'InvalidRequest',
      'Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD',
    );
    const body = '<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></CORSConfiguration>';
    const response = await signedFetch(`${emulator.url}/${Bucket}?cors`, {
      method: 'PUT',
      body,
      headers: { 'content-md5': createHash('md5').update(body).digest('base64') },
    });
    await expectXmlError(
      response,
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  });
});

describe('preflight (OPTIONS)', () => {
  it('needs an Origin, whatever the bucket (a Referer does not count)', async () => {
    const withCors = await bucketWithCors([{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }]);
    for (const path of [withCors, `${withCors}/key`, await bucketWithCors(), 'no-such-bucket-x1/key']) {
      const response = await preflight(path, {
        Referer: 'http://x.test/',
        'Access-Control-Request-Method': 'GET',
      });
      expect(response.headers.get('content-type')).toBe('application/xml');
      await expectXmlError(
        response,
        400,
        'BadRequest',
        'Insufficient information. Origin request header needed.',
      );
    }
  });

  it('refuses a bucket without CORS, and a missing bucket, as BUCKET resources', async () => {
    const Bucket = await bucketWithCors();
    const origin = { Origin: 'http://x.test' };
    await expectXmlError(
      await preflight(`${Bucket}/key`, { ...origin, 'Access-Control-Request-Method': 'PUT' }),
      403,
      'AccessForbidden',
      'CORSResponse: CORS is not enabled for this bucket.',
      { Method: 'PUT', ResourceType: 'BUCKET' },
    );
    await expectXmlError(
      await preflight(Bucket, origin),
      403,
      'AccessForbidden',
      'CORSResponse: CORS is not enabled for this bucket.',
      {
        Method: 'OPTIONS',
        ResourceType: 'BUCKET',
      },
    );
    await expectXmlError(
      await preflight('no-such-bucket-x2/key', { ...origin, 'Access-Control-Request-Method': 'POST' }),
      403,
      'AccessForbidden',
      'CORSResponse: Bucket not found',
      { Method: 'POST', ResourceType: 'BUCKET' },
    );
  });

  it('refuses a request no rule allows, naming OBJECT or BUCKET', async () => {
    const Bucket = await bucketWithCors([
      { AllowedMethods: ['GET'], AllowedOrigins: ['http://allowed.test'] },
    ]);
    const cases: Array<[string, Record<string, string>, string, string]> = [
      [
        `${Bucket}/key`,
        { Origin: 'http://other.test', 'Access-Control-Request-Method': 'GET' },
        'GET',
        'OBJECT',
      ],
      [Bucket, { Origin: 'http://allowed.test', 'Access-Control-Request-Method': 'PUT' }, 'PUT', 'BUCKET'],
      [
        `${Bucket}/k`,
        {
          Origin: 'http://allowed.test',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'x-a',
        },
        'GET',
        'OBJECT',
      ],
      [
        `${Bucket}/k`,
        { Origin: 'https://allowed.test', 'Access-Control-Request-Method': 'GET' },
        'GET',
        'OBJECT',
      ],
    ];
    for (const [path, headers, method, type] of cases) {
      const response = await preflight(path, headers);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      await expectXmlError(response, 403, 'AccessForbidden', NOT_ALLOWED, {
        Method: method,
        ResourceType: type,
      });
    }
  });

  it('answers a matching preflight with the first matching rule', async () => {
    const Bucket = await bucketWithCors([
      { AllowedMethods: ['PUT'], AllowedOrigins: ['http://allowed.test'], MaxAgeSeconds: 1 },
      {
        AllowedMethods: ['GET', 'POST'],
        AllowedOrigins: ['http://allowed.test'],
        AllowedHeaders: ['Content-Type', 'x-amz-*'],
        ExposeHeaders: ['ETag', 'x-amz-request-id'],
        MaxAgeSeconds: 3000,
      },
      { AllowedMethods: ['POST'], AllowedOrigins: ['*'], MaxAgeSeconds: 9 },
    ]);
    const response = await preflight(`${Bucket}/some/key`, {
      Origin: 'http://allowed.test',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'CONTENT-TYPE,X-Amz-Meta-Name',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-length')).toBe('0');
    expect(response.headers.get('content-type')).toBeNull();
    expect(
      Object.fromEntries(
        [...response.headers].filter(([n]) => n.startsWith('access-control') || n === 'vary'),
      ),
    ).toEqual({
      'access-control-allow-origin': 'http://allowed.test',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type, x-amz-meta-name',
      'access-control-expose-headers': 'ETag, x-amz-request-id',
      'access-control-max-age': '3000',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    const any = await preflight(Bucket, {
      Origin: 'http://elsewhere.test',
      'Access-Control-Request-Method': 'POST',
    });
    expect(any.status).toBe(200);
    expect(any.headers.get('access-control-allow-origin')).toBe('*');
    expect(any.headers.get('access-control-allow-credentials')).toBeNull();
    expect(any.headers.get('access-control-max-age')).toBe('9');
  });

  it('matches one wildcard inside an origin, never across a trailing slash', async () => {
    const Bucket = await bucketWithCors([
      { AllowedMethods: ['GET'], AllowedOrigins: ['http://*.origin.com'] },
    ]);
    const ok = await preflight(Bucket, {
      Origin: 'http://test.origin.com',
      'Access-Control-Request-Method': 'GET',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://test.origin.com');
    const slash = await preflight(Bucket, {
      Origin: 'http://test.origin.com/',
      'Access-Control-Request-Method': 'GET',
    });
    expect(slash.status).toBe(403);
  });

  it('needs AllowedHeaders in the rule when the request lists headers', async () => {
    const Bucket = await bucketWithCors([{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }]);
    const bare = await preflight(Bucket, { Origin: 'http://x.test', 'Access-Control-Request-Method': 'GET' });
    expect(bare.status).toBe(200);
    expect(bare.headers.get('access-control-allow-headers')).toBeNull();
    const withHeaders = await preflight(Bucket, {
      Origin: 'http://x.test',
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'content-type',
    });
    expect(withHeaders.status).toBe(403);
  });
});

describe('CORS on actual requests', () => {
  it('adds the rule headers when one matches, serves without them otherwise', async () => {
    const Bucket = await bucketWithCors([
      {
        AllowedMethods: ['GET'],
        AllowedOrigins: ['http://allowed.test'],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: 60,
      },
    ]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'body' }));
    const url = `${emulator.url}/${Bucket}/k`;
    const allowed = await signedFetch(url, { headers: { origin: 'http://allowed.test' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://allowed.test');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(allowed.headers.get('access-control-max-age')).toBe('60');
    expect(allowed.headers.get('vary')).toBe(
      'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    );
    for (const headers of [
      {},
      { origin: 'http://other.test' },
      { origin: 'http://allowed.test', 'access-control-request-method': 'PUT' },
    ]) {
      const response = await signedFetch(url, { headers });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('body');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('vary')).toBeNull();
    }
  });

  it('puts the headers on error responses too (decided before the operation runs)', async () => {
    const Bucket = await bucketWithCors([{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }]);
    const response = await fetch(`${emulator.url}/${Bucket}/missing`, {
      headers: { Origin: 'http://x.test' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    await expectXmlError(response, 403, 'AccessDenied', 'Access Denied');
  });
});
