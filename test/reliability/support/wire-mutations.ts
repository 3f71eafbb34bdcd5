import fc from 'fast-check';
import type { ErrorShape } from './aws-shapes.ts';
import type { RawRequest } from './raw-http.ts';
import { garbageBytes, garbageText, malformedJson, malformedXml, mutateText } from './wire-arbitraries.ts';

/** A valid request to one operation, the starting point of its malformed variants. */
export interface Template {
  op: string;
  /** SigV4 signing name, or `none` for requests authenticated otherwise (POST forms, preflights, HTTP APIs). */
  service: 's3' | 'iam' | 'sts' | 'lambda' | 'apigateway' | 'none';
  method: string;
  path: string;
  query?: string;
  /** Query parameter names this operation reads, for garbage values. */
  queryKeys?: string[];
  headers?: Array<[string, string]>;
  body?:
    | { kind: 'xml' | 'bytes'; text: string }
    | { kind: 'json'; value: Record<string, unknown> }
    /** AWS Query parameters; an object value is a JSON document (a policy) sent as text. */
    | { kind: 'form'; params: Array<[string, string | Record<string, unknown>]> };
  /** Leading path segments that stay as they are (they pick the service, e.g. `/_aws/execute-api`). */
  fixedSegments?: number;
  /** S3 configuration PUTs need Content-MD5; send a correct one so the XML parser is reached. */
  contentMd5?: boolean;
  /** Error documents acceptable for this operation. */
  expect: ErrorShape[];
}

export type Fault = 'body' | 'query' | 'path' | 'headers' | 'header-value' | 'auth' | 'method' | 'framing';

/** A generated malformed request: which template, which fault, what goes on the wire. */
export interface WireCase {
  template: Template;
  fault: Fault;
  label: string;
  method: string;
  path: string;
  query: string;
  headers: Array<[string, string]>;
  body: Buffer;
  /** Sign after the fault (so it reaches the operation) with this key, or send as it is. */
  sign: boolean;
  framing?: Pick<RawRequest, 'contentLength' | 'truncateAt'>;
}

type FormParams = Array<[string, string | Record<string, unknown>]>;

const encodeForm = (params: Array<[string, string]>) =>
  params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const formText = (params: FormParams) =>
  encodeForm(params.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));

export const bodyOf = (t: Template): string => {
  if (t.body === undefined) return '';
  if (t.body.kind === 'json') return JSON.stringify(t.body.value);
  if (t.body.kind === 'form') return formText(t.body.params);
  return t.body.text;
};

/** Garbage in one Query parameter (a policy document gets malformed JSON), a missing one, or extras. */
const faultyForm = (params: FormParams): fc.Arbitrary<string> => {
  const plain = params.map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  const at = fc.nat(Math.max(0, params.length - 1));
  return fc.oneof(
    fc.tuple(at, garbageText(300)).map(([i, junk]) => {
      const copy = [...plain];
      if (copy[i]) copy[i] = [copy[i]![0], junk.replace(/[\uD800-\uDFFF]/g, '')];
      return encodeForm(copy);
    }),
    at.chain((i) => {
      const value = params[i]?.[1];
      if (value === undefined || typeof value === 'string') return fc.constant(encodeForm(plain));
      return malformedJson(value).map((doc) => {
        const copy = [...plain];
        copy[i] = [copy[i]![0], doc.replace(/[\uD800-\uDFFF]/g, '')];
        return encodeForm(copy);
      });
    }),
    at.map((i) => encodeForm(plain.filter((_, j) => j !== i))),
    fc
      .array(fc.tuple(garbageText(30), garbageText(60)), { minLength: 1, maxLength: 5 })
      .map((extra) =>
        encodeForm([
          ...plain,
          ...extra.map(([k, v]): [string, string] => [
            k.replace(/[\uD800-\uDFFF]/g, ''),
            v.replace(/[\uD800-\uDFFF]/g, ''),
          ]),
        ]),
      ),
    mutateText(encodeForm(plain)),
  );
};

export const faultyBody = (t: Template): fc.Arbitrary<string | Buffer> => {
  if (t.body?.kind === 'xml') return malformedXml(t.body.text);
  if (t.body?.kind === 'json') return malformedJson(t.body.value);
  if (t.body?.kind === 'form') return faultyForm(t.body.params);
  if (t.body?.kind === 'bytes') return fc.oneof(mutateText(t.body.text), garbageBytes());
  return fc.oneof(garbageBytes(512), garbageText(200));
};

export const faultyPath = (path: string, fixed = 1): fc.Arbitrary<string> => {
  const segments = path.split('/');
  return fc
    .tuple(fc.integer({ min: fixed, max: Math.max(fixed, segments.length) }), garbageText(60), fc.boolean())
    .map(([i, junk, encode]) => {
      const copy = [...segments];
      const piece = encode ? encodeURIComponent(junk.replace(/[\uD800-\uDFFF]/g, '')) : rawPathSafe(junk);
      copy[i] = piece;
      return copy.join('/') || '/';
    })
    .filter((p) => !p.startsWith('/_emulator/'));
};

/** Raw text in a request line: no spaces, CR, LF or `?`/`#` (they would end the path). */
const rawPathSafe = (s: string) => s.replace(/[\s?#]/g, '').replace(/[^\x21-\x7e\x80-\xff]/g, '');
