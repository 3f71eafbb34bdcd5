import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { AwsError } from './aws-error.ts';
import { hostId, s3RequestId } from './ids.ts';
import { parseQuery, safeDecode } from './query-string.ts';
import type { Principal } from '../auth/principal.ts';
import type { EmulatorEnv } from './env.ts';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked.ts';

/** Bodies of JSON and Query APIs are read whole; S3 objects are streamed instead. */
export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * Everything one request carries through the pipeline. Services read the request from it
 * and answer through `send`, which applies the headers every response of this request gets
 * (request ids, CORS decorations), errors included.
 */
export class RequestContext {
  readonly id = s3RequestId();
  readonly hostId = hostId();
  readonly startedAt = performance.now();
  readonly method: string;
  /** Path as received, still percent-encoded, without the query. */
  readonly rawPath: string;
  /** Decoded path. */
  readonly path: string;
  readonly rawQuery: string;
  readonly queryPairs: Array<[string, string]>;
  /** First value of each query parameter. */
  readonly query: Map<string, string>;
  readonly headers: IncomingHttpHeaders;
  service = 'unknown';
  operation = 'unknown';
  region = 'us-east-1';
  principal: Principal = { type: 'anonymous' };
  /** Headers every response of this request carries, errors included (request ids, CORS). */
  readonly extraHeaders: Record<string, string> = {};
  status = 0;
  private bodyCache: Promise<Buffer> | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly env: EmulatorEnv,
  ) {
    this.method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.rawPath = q === -1 ? url : url.slice(0, q);
    this.rawQuery = q === -1 ? '' : url.slice(q + 1);
    this.path = safeDecode(this.rawPath);
    this.queryPairs = parseQuery(this.rawQuery);
    this.query = new Map();
    for (const [k, v] of this.queryPairs) if (!this.query.has(k)) this.query.set(k, v);
    this.headers = req.headers;
  }

  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(',') : value;
  }

  /** The request's public base URL, e.g. `http://localhost:4566`. */
  get baseUrl(): string {
    return `http://${this.header('host') ?? `localhost:${this.env.port}`}`;
  }

  /** Reads the whole body once (decoding `aws-chunked`), refusing more than `limit` bytes. */
  body(limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
    this.bodyCache ??= readAll(this.bodyStream(), limit).catch((err: unknown) => {
      // The client hung up mid-body ('aborted'): a client mistake in AWS's words, not an internal error.
      throw err instanceof AwsError ? err : incompleteBody();
    });
    return this.bodyCache;
  }

  /** The body as a stream of payload bytes (`aws-chunked` framing removed). */
  bodyStream(): Readable {
    if (!isAwsChunked(this.headers)) return this.req;
    const req = this.req;
    const decoder = decodeAwsChunked();
    // `pipe` does not pass on a client hanging up: without this, whoever reads the decoder waits
    // forever (and an upload's temp file stays). Only this way round: a decoding error must not
    // destroy the request, whose socket still has to carry the 400.
    req.once('close', () => {
      if (!req.complete) decoder.destroy(incompleteBody());
    });
    return req.pipe(decoder);
  }

  get responded(): boolean {
    return this.res.headersSent || this.res.writableEnded;
  }

  /** Writes a complete response. */
  send(status: number, headers: Record<string, string | number>, body?: string | Buffer): void {
    this.writeHead(status, {
      ...headers,
      ...(body === undefined ? { 'Content-Length': 0 } : { 'Content-Length': Buffer.byteLength(body) }),
    });
    this.res.end(this.method === 'HEAD' ? undefined : body);
  }

  /** Starts a response whose body the caller writes (streaming). */
  writeHead(status: number, headers: Record<string, string | number>): void {
    this.status = status;
    const all: Record<string, string | number> = { ...headers, ...this.extraHeaders };
    for (const [name, value] of Object.entries(all)) this.res.setHeader(name, value);
    this.res.writeHead(status);
  }
}

const incompleteBody = () =>
  new AwsError(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header',
    { status: 400 },
  );

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.resume();
      throw new AwsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes.`, {
        status: 413,
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
