import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { judge, type ErrorShape, type Verdict } from './aws-shapes.ts';
import { sendRaw } from './raw-http.ts';
import { brokenSigV4 } from './sigv4-garbage.ts';
import { garbageQuery, garbageText, hostileHeaders } from './wire-arbitraries.ts';
import {
  bodyOf,
  faultyBody,
  faultyPath,
  type Fault,
  type Template,
  type WireCase,
} from './wire-mutations.ts';
import { signWire, type SigningKey } from './wire-sign.ts';

export type { Fault, Template, WireCase } from './wire-mutations.ts';

/** The generator of malformed requests over `templates`. */
export const wireCases = (templates: readonly Template[]): fc.Arbitrary<WireCase> =>
  fc
    .tuple(
      fc.constantFrom(...templates),
      fc.constantFrom<Fault>(
        'body',
        'body',
        'query',
        'path',
        'headers',
        'header-value',
        'auth',
        'method',
        'framing',
      ),
    )
    .chain(([t, fault]) => {
      const base = {
        template: t,
        fault,
        method: t.method,
        path: t.path,
        query: t.query ?? '',
        headers: [...(t.headers ?? [])],
        body: Buffer.from(bodyOf(t)),
        sign: t.service !== 'none',
      };
      const signedOr = fc.boolean().map((unsigned) => t.service !== 'none' && !unsigned);
      switch (fault) {
        case 'body':
          return fc.tuple(faultyBody(t), fc.integer({ min: 0, max: 9 })).map(([body, n]) => ({
            ...base,
            body: Buffer.from(body),
            // One in ten unsigned: the anonymous path gets the garbage too.
            sign: base.sign && n > 0,
            label: 'body',
          }));
        case 'query':
          return garbageQuery(t.queryKeys).map((q) => ({
            ...base,
            query: [base.query, q].filter(Boolean).join('&'),
            label: 'query',
          }));
        case 'path':
          return faultyPath(t.path, t.fixedSegments).map((path) => ({ ...base, path, label: 'path' }));
        case 'headers':
          return fc
            .tuple(hostileHeaders(), signedOr)
            .map(([h, sign]) => ({ ...base, headers: [...base.headers, ...h], sign, label: 'headers' }));
        case 'header-value': {
          if (base.headers.length === 0) return fc.constant({ ...base, label: 'header-value (none)' });
          return fc.tuple(fc.nat(base.headers.length - 1), garbageText(300)).map(([i, junk]) => {
            const headers = [...base.headers];
            headers[i] = [headers[i]![0], junk.replace(/[\r\n\0]/g, '').replace(/[^\x20-\xff]/g, '?')];
            return { ...base, headers, label: `header-value ${headers[i]![0]}` };
          });
        }
        case 'auth':
          return brokenSigV4(t.service === 'none' ? 's3' : t.service).map((a) => ({
            ...base,
            headers: [...base.headers, ...a.headers],
            query: [base.query, a.query].filter(Boolean).join('&'),
            sign: false,
            label: `auth: ${a.label}`,
          }));
        case 'method':
          return fc
            .constantFrom(
              'PATCH',
              'PROPFIND',
              'TRACE',
              'PUT',
              'DELETE',
              'POST',
              'GET',
              'HEAD',
              'OPTIONS',
              'FOO',
            )
            .map((method) => ({ ...base, method, label: `method ${method}` }));
        case 'framing':
          return fc
            .oneof(
              fc
                .nat(Math.max(0, base.body.length - 1))
                .map((n) => ({ contentLength: n, label: 'short length' })),
              fc.constantFrom('abc', '-1', '1e3', '99999999999999999999').map((v) => ({
                contentLength: v,
                label: `length ${v}`,
              })),
              fc.nat(base.body.length).map((n) => ({ truncateAt: n, label: 'truncated body' })),
            )
            .map(({ label, ...framing }) => ({ ...base, framing, label }));
      }
    });

/** Puts a case on the wire: signs it if asked (fixing Content-MD5 first), sends it, judges the answer. */
export async function sendCase(port: number, c: WireCase, key?: SigningKey): Promise<Verdict> {
  let headers = c.headers;
  if (c.template.contentMd5 && c.sign)
    headers = [...headers, ['Content-MD5', createHash('md5').update(c.body).digest('base64')]];
  if (c.sign)
    headers = await signWire({
      host: `127.0.0.1:${port}`,
      service: c.template.service,
      method: c.method,
      path: c.path,
      query: c.query,
      headers,
      body: c.body,
      ...(key ? { key } : {}),
    });
  const target = c.query ? `${c.path}?${c.query}` : c.path;
  const outcome = await sendRaw(port, { method: c.method, target, headers, body: c.body, ...c.framing });
  // Unsigned requests go to S3; broken signatures may or may not name their service.
  const expected: ErrorShape[] =
    c.sign || c.template.service === 'none'
      ? c.template.expect
      : c.fault === 'auth'
        ? [...c.template.expect, 'rest-xml']
        : ['rest-xml'];
  return judge(outcome, c.method, expected);
}

/** Tallies of a batch, for the summary line and the assertions. */
export interface BatchResult {
  cases: number;
  byCode: Map<string, number>;
  problems: Array<{ label: string; op: string; request: string; verdict: Verdict }>;
}

/** Sends `cases` with up to `concurrency` in flight, judging each. */
export async function runBatch(
  port: number,
  cases: readonly WireCase[],
  concurrency = 6,
  key?: SigningKey,
): Promise<BatchResult> {
  const result: BatchResult = { cases: cases.length, byCode: new Map(), problems: [] };
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      const verdict = await sendCase(port, c, key);
      const tag = `${verdict.status} ${verdict.code}`;
      result.byCode.set(tag, (result.byCode.get(tag) ?? 0) + 1);
      if (verdict.problem)
        result.problems.push({
          label: c.label,
          op: c.template.op,
          request: `${c.method} ${c.path}?${c.query.slice(0, 200)} [${c.body.length} bytes]`,
          verdict,
        });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

/** `template` with a body of `bytes` (17 MiB by default: over every limit the local AWS has), signed. */
export function oversized(template: Template, bytes = 17 * 1024 * 1024): WireCase {
  return {
    template,
    fault: 'framing',
    label: `oversized body (${bytes} bytes)`,
    method: template.method === 'GET' || template.method === 'HEAD' ? 'POST' : template.method,
    path: template.path,
    query: template.query ?? '',
    // A Content-MD5 of the template's body would not describe this one.
    headers: (template.headers ?? []).filter(([name]) => name.toLowerCase() !== 'content-md5'),
    body: Buffer.alloc(bytes, template.body?.kind === 'json' ? '[' : '<'),
    sign: template.service !== 'none',
  };
}
