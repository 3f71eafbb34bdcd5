import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseQuery } from '../../../emulator/core/query-string.ts';

export interface SigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ROOT_KEY: SigningKey = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface ToSign {
  /** The `Host` header the request carries, e.g. `127.0.0.1:4566`. */
  host: string;
  /** SigV4 signing name: `s3`, `iam`, `sts`, `lambda`, `apigateway`. */
  service: string;
  method: string;
  /** Raw path as it goes on the wire (still percent-encoded). */
  path: string;
  /** Raw query string without `?`, as it goes on the wire (may be garbage). */
  query?: string;
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  key?: SigningKey;
  region?: string;
}

/**
 * Signs a request whose parts may be garbage, so that the garbage gets past authentication and
 * reaches the operation's own parsing. The query is signed as the local AWS reads it (the same
 * decoding), S3 with its own path rules and an explicit payload hash, the others over the body.
 * Returns the header lines to send, the given ones first.
 */
export async function signWire(input: ToSign): Promise<Array<[string, string]>> {
  const body = input.body === undefined ? Buffer.alloc(0) : Buffer.from(input.body);
  const isS3 = input.service === 's3';
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of parseQuery(input.query ?? '')) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const given = input.headers ?? [];
  const signable: Record<string, string> = {};
  for (const [name, value] of given) {
    const lower = name.toLowerCase();
    // Only well-formed, single headers are signed; the rest travel unsigned (as garbage would).
    if (/^[a-z0-9-]+$/.test(lower) && !(lower in signable) && /^[\x20-\x7e]*$/.test(value))
      signable[lower] = value;
  }
  const payloadHash = createHash('sha256').update(body).digest('hex');
  // S3 signs the payload hash the client claims (a template may claim a streaming one).
  const extra: Record<string, string> =
    isS3 && !('x-amz-content-sha256' in signable) ? { 'x-amz-content-sha256': payloadHash } : {};
  const signer = new SignatureV4({
    credentials: input.key ?? ROOT_KEY,
    region: input.region ?? 'us-east-1',
    service: input.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !isS3,
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: input.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    path: input.path,
    query,
    headers: { host: input.host, ...signable, ...extra },
    ...(isS3 ? {} : { body }),
  });
  const added: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(signed.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'host' || lower in signable) continue;
    added.push([name, String(value)]);
  }
  return [...given, ...added];
}
