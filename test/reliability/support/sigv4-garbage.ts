import fc from 'fast-check';
import { garbageText } from './wire-arbitraries.ts';

const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

/**
 * Broken SigV4 authentication for a request to `service`: malformed or partial Authorization
 * headers, unknown keys and services, skewed or garbage dates, stray tokens, and presigned
 * query parameters that do not add up. Each is a set of headers plus a query suffix.
 */
export const brokenSigV4 = (
  service: string,
): fc.Arbitrary<{ headers: Array<[string, string]>; query: string; label: string }> => {
  const now = Date.now();
  const day = amzDate(now).slice(0, 8);
  const scope = (akid: string, svc = service, d = day, region = 'us-east-1') =>
    `${akid}/${d}/${region}/${svc}/aws4_request`;
  const auth = (credential: string, signed = 'host;x-amz-date', signature = '0'.repeat(64)) =>
    `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signed}, Signature=${signature}`;
  const withDate = (authorization: string, date = amzDate(now)): Array<[string, string]> => [
    ['Authorization', authorization],
    ['x-amz-date', date],
    ['x-amz-content-sha256', 'UNSIGNED-PAYLOAD'],
  ];
  const headerCase = (label: string, headers: Array<[string, string]>) => ({ headers, query: '', label });
  return fc.oneof(
    fc.constant(headerCase('wrong signature', withDate(auth(scope('test'))))),
    fc.constant(headerCase('unknown key', withDate(auth(scope('AKIAUNKNOWNKEY000000'))))),
    fc.constant(headerCase('unknown session key', withDate(auth(scope('ASIAUNKNOWNKEY000000'))))),
    fc.constant(headerCase('unknown service', withDate(auth(scope('test', 'dynamodb'))))),
    fc.constant(headerCase('bad scope date', withDate(auth(scope('test', service, '2x24a101'))))),
    fc.constant(headerCase('no credential', withDate('AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00'))),
    fc.constant(headerCase('bare algorithm', withDate('AWS4-HMAC-SHA256'))),
    fc.constant(headerCase('empty signed headers', withDate(auth(scope('test'), '')))),
    fc.constant(headerCase('non-hex signature', withDate(auth(scope('test'), 'host', 'zz'.repeat(40))))),
    fc.constant(headerCase('skewed an hour', withDate(auth(scope('test')), amzDate(now - 3_600_000)))),
    fc.constant(headerCase('garbage date', withDate(auth(scope('test')), 'yesterday'))),
    fc.constant(headerCase('no date', [['Authorization', auth(scope('test'))]])),
    fc.constant(
      headerCase('token on a root key', [
        ...withDate(auth(scope('test'))),
        ['x-amz-security-token', 'not-a-token'],
      ]),
    ),
    fc.constant(headerCase('SigV2 header', [['Authorization', 'AWS test:bm90LWEtc2lnbmF0dXJl']])),
    fc
      .tuple(garbageText(80), garbageText(80), garbageText(80))
      .map(([credential, signed, signature]) =>
        headerCase(
          'garbage fields',
          withDate(
            `AWS4-HMAC-SHA256 Credential=${strip(credential)}, SignedHeaders=${strip(signed)}, Signature=${strip(signature)}`,
          ),
        ),
      ),
    fc.constant({
      headers: [] as Array<[string, string]>,
      query: `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(scope('test'))}`,
      label: 'presign missing parts',
    }),
    fc.constantFrom('0', '-5', '604801', 'abc').map((expires) => ({
      headers: [] as Array<[string, string]>,
      query:
        `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(scope('test'))}` +
        `&X-Amz-Date=${amzDate(now)}&X-Amz-Expires=${expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`,
      label: `presign expires ${expires}`,
    })),
  );
};

/** A header value cannot hold CR, LF or NUL; anything else goes. */
const strip = (s: string) => s.replace(/[\r\n\0]/g, '').replace(/[^\x20-\xff]/g, '?');
