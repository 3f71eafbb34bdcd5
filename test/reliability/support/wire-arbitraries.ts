import fc from 'fast-check';

/** Strings that break naive parsers: escapes, separators, traversal, controls, odd Unicode. */
export const NASTY = [
  '',
  ' ',
  '%',
  '%ZZ',
  '%C3%28',
  '%00',
  '%2e%2e%2f',
  '../../etc/passwd',
  '..\\..\\boot.ini',
  '\u0000',
  '\r\n',
  '\uFEFF',
  '\uD800',
  '😀',
  '&',
  '=',
  '&&==&',
  '*',
  '**/?*',
  '${filename}',
  '$',
  '"',
  "'",
  '<',
  ']]>',
  '<![CDATA[',
  '{',
  '[',
  'null',
  'true',
  '-1',
  '1e309',
  '9007199254740993',
  'NaN',
  'arn:aws:iam::000000000000:role/../../x',
  'arn:aws:lambda:us-east-1:000000000000:function:',
  'arn:::::::',
  'a'.repeat(5000),
] as const;

/** Text a client might send anywhere: printable, binary, graphemes, or a known troublemaker. */
export const garbageText = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 2, arbitrary: fc.string({ maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
  );

/** Raw bytes, sometimes invalid UTF-8. */
export const garbageBytes = (maxLength = 2048): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes));

/** Percent-encodes a string the way a careful client would, or not at all (garbage stays garbage). */
export const queryPart = (): fc.Arbitrary<string> =>
  fc.oneof(
    garbageText(60).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, ''))),
    fc.constantFrom('%', '%ZZ', '%C3%28', '%%%', '+', '%2B', '&', '==', '%00', ';', '#', '?'),
    fc.stringMatching(/^[A-Za-z0-9._~%+=-]{0,40}$/),
  );

/** A garbage query string: odd pairs, repeated keys, lone `&`, escapes, sometimes very long. */
export const garbageQuery = (keys: readonly string[] = []): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...keys, 'x'), queryPart()),
        fc.option(queryPart(), { nil: undefined }),
      ),
      { maxLength: 8 },
    )
    .chain((pairs) =>
      fc
        .constantFrom('&', '&&', ';')
        .map((sep) => pairs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(sep)),
    )
    .chain((q) =>
      fc.oneof(
        { weight: 9, arbitrary: fc.constant(q) },
        { weight: 1, arbitrary: fc.constant(`${q}&pad=${'p'.repeat(6000)}`) },
      ),
    );

/** Cuts, splices and repeats text at a generated position. */
export const mutateText = (valid: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.nat(valid.length).map((at) => valid.slice(0, at)),
    fc
      .tuple(fc.nat(valid.length), garbageText(40))
      .map(([at, junk]) => valid.slice(0, at) + junk + valid.slice(at)),
    fc
      .tuple(fc.nat(valid.length), fc.nat(valid.length))
      .map(([a, b]) => valid.slice(0, Math.min(a, b)) + valid.slice(Math.max(a, b))),
    fc.tuple(fc.nat(valid.length), fc.integer({ min: 2, max: 50 })).map(([at, n]) => {
      const piece = valid.slice(at, at + 20);
      return valid.slice(0, at) + piece.repeat(n) + valid.slice(at);
    }),
  );

/** Malformed XML around a valid document: mutations, nesting bombs, entities, wrong roots, non-XML. */
export const malformedXml = (valid: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: mutateText(valid) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 10, max: 20_000 }).map((n) => `${'<a>'.repeat(n)}x${'</a>'.repeat(n)}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;&c;&c;</r>`,
        `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`,
        '<r><![CDATA[</r>]]>',
        '<r a="1" a="2"/>',
        '<?xml version="1.0" encoding="UTF-16"?><r/>',
        '\uFEFF<r/>',
        '<r>&#0;&#xD800;&#99999999;</r>',
        '<r><r2></r></r2>',
        '<>',
        '</r>',
        '<',
      ),
    },
    { weight: 1, arbitrary: garbageText(500) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,12}$/), { minLength: 1, maxLength: 6 })
        .chain((names) =>
          fc.tuple(
            fc.constant(names),
            fc.array(garbageText(40), { minLength: names.length, maxLength: names.length }),
          ),
        )
        .map(([names, values]) => names.map((n, i) => `<${n}>${escapeXml(values[i]!)}</${n}>`).join('')),
    },
  );

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Any JSON value, including ones AWS shapes never hold (deep, huge, wrong types). */
export const hostileJsonValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1.5, 2 ** 31, 2 ** 53 + 2, -0, 1e300) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 3000 }).map((n) => nest(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 300_000 }).map((n) => 'x'.repeat(n)) },
  );

const nest = (depth: number): unknown => {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value };
  return value;
};

/** Malformed JSON around a valid object: wrong types in its members, broken text, other roots. */
export const malformedJson = (valid: Record<string, unknown>): fc.Arbitrary<string> => {
  const text = JSON.stringify(valid);
  const keys = Object.keys(valid);
  const replaceMember =
    keys.length === 0
      ? fc.constant(text)
      : fc
          .tuple(fc.constantFrom(...keys), hostileJsonValue())
          .map(([key, value]) => JSON.stringify({ ...valid, [key]: value }));
  return fc.oneof(
    { weight: 4, arbitrary: replaceMember },
    { weight: 2, arbitrary: mutateText(text) },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(garbageText(20), hostileJsonValue(), { maxKeys: 4 })
        .map((extra) => JSON.stringify({ ...valid, ...extra })),
    },
    { weight: 1, arbitrary: hostileJsonValue().map((v) => JSON.stringify(v) ?? 'undefined') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"a":1,"a":2}',
        '{"a":1,}',
        "{'a':1}",
        '{"a":NaN}',
        '{"a":Infinity}',
        '{"a":"\\ud800"}',
        '{"__proto__":{"polluted":true}}',
        '{"constructor":{"prototype":{"polluted":true}}}',
        `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      ),
    },
  );
};

/** Header lines a broken or hostile client sends. */
export const hostileHeaders = (): fc.Arbitrary<Array<[string, string]>> =>
  fc.oneof(
    fc.constant<Array<[string, string]>>([['X-Big', 'b'.repeat(20_000)]]),
    fc.constant<Array<[string, string]>>(
      Array.from({ length: 150 }, (_, i): [string, string] => [`x-amz-meta-h${i}`, 'v'.repeat(100)]),
    ),
    fc.constant<Array<[string, string]>>([['Transfer-Encoding', 'gzip, chunked, identity']]),
    fc.constant<Array<[string, string]>>([
      ['Content-Type', 'text/plain'],
      ['Content-Type', 'application/json'],
    ]),
    fc.constant<Array<[string, string]>>([['Expect', '100-continue']]),
    fc.constant<Array<[string, string]>>([['Content-Encoding', 'gzip']]),
    fc.constant<Array<[string, string]>>([['Range', 'bytes=9-1,-0,abc']]),
    fc.constant<Array<[string, string]>>([['If-Modified-Since', 'not a date']]),
    fc.constant<Array<[string, string]>>([['x-amz-date', '99999999T999999Z']]),
    fc.constant<Array<[string, string]>>([['Bad Header', 'x']]),
    fc
      .tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ unit: 'binary-ascii', maxLength: 200 }))
      .map(([name, value]): Array<[string, string]> => [[name, value.replace(/[\r\n]/g, ' ')]]),
  );
