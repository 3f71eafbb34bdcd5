import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { ROOT_CREDENTIALS, type TestCredentials } from './clients.ts';

export interface SignedRequestInput {
  /** Full URL including path and query, e.g. `${url}/?Action=GetCallerIdentity&Version=2011-06-15`. */
  url: string;
  /** SigV4 signing name: `sts`, `iam`, `s3`, `lambda`, … */
  service: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: TestCredentials;
  region?: string;
  /** When the client thinks it is (to sign with a skewed clock). Default now. */
  signingDate?: Date;
  /** Presign into the query string for this many seconds instead of an Authorization header. */
  presignSeconds?: number;
}

/**
 * Signs a request by hand with `@smithy/signature-v4` (as SDK clients do, minus their retries
 * and clock-skew correction), ready for `fetch`. For tests of the emulator's SigV4 checks.
 */
export async function signRequest(input: SignedRequestInput): Promise<{ url: string; init: RequestInit }> {
  const url = new URL(input.url);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const request = {
    method: input.method ?? (input.body === undefined ? 'GET' : 'POST'),
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, ...input.headers },
    ...(input.body === undefined ? {} : { body: input.body }),
  };
  const signer = new SignatureV4({
    credentials: input.credentials ?? ROOT_CREDENTIALS,
    region: input.region ?? 'us-east-1',
    service: input.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: input.service !== 's3',
  });
  const signingDate = input.signingDate ?? new Date();
  const signed =
    input.presignSeconds === undefined
      ? await signer.sign(request, { signingDate })
      : await signer.presign(request, { signingDate, expiresIn: input.presignSeconds });
  const target = new URL(url.pathname, url.origin);
  for (const [k, v] of Object.entries(signed.query ?? {})) target.searchParams.append(k, String(v));
  const headers = { ...signed.headers };
  delete headers['host'];
  return {
    url: target.toString().replace(/\+/g, '%20'),
    init: { method: request.method, headers, ...(input.body === undefined ? {} : { body: input.body }) },
  };
}

/** Signs (see `signRequest`) and sends. */
export async function sendSigned(input: SignedRequestInput): Promise<Response> {
  const { url, init } = await signRequest(input);
  return fetch(url, init);
}

/** `Code` and `Message` of an XML error body. */
export function xmlError(body: string): { code: string | undefined; message: string | undefined } {
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1],
    message: /<Message>([^<]*)<\/Message>/
      .exec(body)?.[1]
      ?.replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'"),
  };
}
