import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { garbageText, hostileJsonValue, NASTY } from './wire-arbitraries.ts';
import type { WireCase } from './wire-fuzz.ts';

const FIELDS = ['key', 'bucket', 'Content-Type', 'acl', 'x-amz-meta-a', 'success_action_status', 'tagging'];

/** Small hostile values: a policy over 20 KB is refused before its conditions are read. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(...NASTY.filter((n) => n.length < 100)),
  fc.constantFrom(-1, 0, 1, 10, 1.5, 2 ** 53 + 2, '5', ' 7', '1e3', null),
);

/** Conditions an honest client writes: the bucket, any key, a size range. */
const plausible = (bucket: string): fc.Arbitrary<unknown[]> =>
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 400 }), value),
      fc.oneof(fc.integer({ min: 0, max: 400 }), value),
    )
    .map(([min, max]) => [{ bucket }, ['starts-with', '$key', ''], ['content-length-range', min, max]]);

/** Policy conditions of every shape S3 knows and many it does not, with hostile values. */
const condition: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), garbageText(20)), value).map(([f, v]) => ({ [f]: v })),
  fc.tuple(
    fc.oneof(fc.constantFrom('eq', 'starts-with', 'EQ', 'Starts-With'), garbageText(12)),
    fc.oneof(fc.constantFrom(...FIELDS.map((f) => `$${f}`), 'key'), garbageText(20)),
    value,
  ),
  fc.tuple(fc.constant('content-length-range'), value, value),
  fc.array(value, { maxLength: 5 }),
  value,
  fc.dictionary(fc.constantFrom(...FIELDS), garbageText(20), { minKeys: 2, maxKeys: 3 }),
);

const expiration: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.integer({ min: -600, max: 3600 }).map((s) => new Date(Date.now() + s * 1000).toISOString()),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('2030-01-01T00:00:00Z', '2030-01-01', '1e10', '9999-99-99T99:99:99Z', ''),
  },
  { weight: 1, arbitrary: value },
);

const part = (boundary: string, name: string, value: string, filename?: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n\r\n${value}\r\n`;

/**
 * Browser POST forms whose policies are generated and then really signed (SigV4 or SigV2 with
 * the root keys), so the policy decoder and the condition checks get the garbage, not the
 * signature check. Some carry extra fields, no file, or the file before the fields.
 */
export const signedPostCases = (bucket: string, path = `/${bucket}`): fc.Arbitrary<WireCase> =>
  fc
    .record({
      conditions: fc.oneof(fc.array(condition, { maxLength: 6 }), plausible(bucket), plausible(bucket)),
      expiration,
      wholeDoc: fc.oneof(
        { weight: 7, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: hostileJsonValue() },
      ),
      key: fc.oneof(fc.constant('incoming/${filename}'), garbageText(80)),
      extra: fc.array(fc.tuple(fc.constantFrom(...FIELDS, 'x-ignore-me'), garbageText(40)), { maxLength: 2 }),
      sigV2: fc.boolean(),
      file: fc.oneof(
        { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
        { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
      ),
      fileFirst: fc.integer({ min: 0, max: 99 }).map((n) => n < 15),
      filename: garbageText(40).map((n) => n.replace(/["\r\n]/g, '')),
    })
    .map((g): WireCase => {
      const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
      const day = amzDate.slice(0, 8);
      const signing: Array<[string, string]> = g.sigV2
        ? [['AWSAccessKeyId', 'test']]
        : [
            ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
            ['X-Amz-Credential', `test/${day}/us-east-1/s3/aws4_request`],
            ['X-Amz-Date', amzDate],
          ];
      const doc =
        g.wholeDoc !== undefined
          ? g.wholeDoc
          : {
              expiration: g.expiration,
              conditions: [...g.conditions, ...signing.map(([n, v]) => ({ [n]: v }))],
            };
      const policy = Buffer.from(JSON.stringify(doc) ?? 'null').toString('base64');
      const signature = g.sigV2
        ? createHmac('sha1', 'test').update(policy).digest('base64')
        : signV4(policy, day);
      const boundary = `----fuzz${Math.random().toString(36).slice(2)}`;
      const fields = [
        ['key', g.key],
        ...g.extra,
        ...signing,
        ['Policy', policy],
        [g.sigV2 ? 'signature' : 'X-Amz-Signature', signature],
      ].map(([n, v]) => part(boundary, n!, v!.replace(/\r\n/g, ' ')));
      const file = g.file === undefined ? [] : [part(boundary, 'file', g.file, g.filename)];
      const body = [
        ...(g.fileFirst ? [...file, ...fields] : [...fields, ...file]),
        `--${boundary}--\r\n`,
      ].join('');
      return {
        template: {
          op: 'PostObject (signed policy)',
          service: 'none',
          method: 'POST',
          path,
          expect: ['rest-xml'],
        },
        fault: 'body',
        label: `signed ${g.sigV2 ? 'SigV2' : 'SigV4'} form with a generated policy`,
        method: 'POST',
        path,
        query: '',
        headers: [['Content-Type', `multipart/form-data; boundary=${boundary}`]],
        body: Buffer.from(body),
        sign: false,
      };
    });

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

function signV4(policy: string, day: string): string {
  const key = hmac(hmac(hmac(hmac('AWS4test', day), 'us-east-1'), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(policy).digest('hex');
}
