import { connect } from 'node:net';

/** One request exactly as it goes on the wire: nothing is checked or fixed on the way out. */
export interface RawRequest {
  method: string;
  /** Request target as sent: raw path and query, e.g. `/bucket/key?list-type=2`. */
  target: string;
  /** Header lines in order; duplicates allowed. `Host` and `Connection: close` are added. */
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  /** Overrides `Content-Length` (a lie, in either direction); `null` sends none. */
  contentLength?: number | string | null;
  /** Sends only this many body bytes, then waits `patienceMs` and hangs up (a client that died). */
  truncateAt?: number;
  patienceMs?: number;
}

export type RawOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: Buffer }
  /** The server closed or reset the connection without a complete response. */
  | { kind: 'dropped'; error: string }
  /** A truncated request that got no answer before the client gave up (the server waits for the rest). */
  | { kind: 'abandoned' };

/**
 * Sends `request` over a fresh TCP connection to 127.0.0.1:`port` and reads the answer
 * (`Connection: close`, so the answer ends when the server closes).
 */
export function sendRaw(port: number, request: RawRequest): Promise<RawOutcome> {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const lines = [`${request.method} ${request.target} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [name, value] of request.headers ?? []) lines.push(`${name}: ${value}`);
  const length = request.contentLength === undefined ? body.length : request.contentLength;
  if (length !== null) lines.push(`Content-Length: ${length}`);
  lines.push('Connection: close', '', '');
  const head = Buffer.from(lines.join('\r\n'), 'latin1');
  const sent = request.truncateAt === undefined ? body : body.subarray(0, request.truncateAt);

  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let error = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err) => (error = (err as NodeJS.ErrnoException).code ?? err.message));
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      const parsed = parseResponse(raw, request.method === 'HEAD');
      if (parsed) resolve({ kind: 'response', ...parsed });
      else if (timer !== undefined && error === 'abandoned') resolve({ kind: 'abandoned' });
      else resolve({ kind: 'dropped', error: error || `closed after ${raw.length} bytes` });
    });
    socket.write(Buffer.concat([head, sent]), () => {
      if (request.truncateAt === undefined) return;
      timer = setTimeout(() => {
        if (chunks.length === 0) error = 'abandoned';
        socket.destroy();
      }, request.patienceMs ?? 300);
    });
  });
}

/** Parses one complete HTTP/1.1 response (Content-Length, chunked, or until close). */
function parseResponse(
  raw: Buffer,
  head: boolean,
): { status: number; headers: Record<string, string>; body: Buffer } | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  // Interim answers (100 Continue) come before the real one.
  if (/^HTTP\/1\.[01] 1\d\d/.test(raw.subarray(0, 12).toString('latin1')))
    return parseResponse(raw.subarray(end + 4), head);
  const [statusLine, ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = raw.subarray(end + 4);
  if (head) return { status: Number(m[1]), headers, body: Buffer.alloc(0) };
  if (headers['transfer-encoding']?.includes('chunked')) {
    const decoded = dechunk(body);
    if (!decoded) return undefined;
    body = decoded;
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (body.length < length) return undefined;
    body = body.subarray(0, length);
  }
  return { status: Number(m[1]), headers, body };
}

function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol === -1) return undefined;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (data.length < eol + 2 + size) return undefined;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
