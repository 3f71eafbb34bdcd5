import { Agent, request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { MultipartBody } from './payload.ts';

export interface Answer {
  status: number;
  ms: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A keep-alive agent with room for `clients` sockets (one per concurrent client). */
export const keepAlive = (clients: number): Agent =>
  new Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });

/** One HTTP request with a streamed or buffered body; the answer is read whole (it is small). */
export function send(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string | number>;
    body?: Buffer | string | MultipartBody;
    agent?: Agent;
  } = {},
): Promise<Answer> {
  const started = performance.now();
  const body = options.body;
  const multipart = typeof body === 'object' && !Buffer.isBuffer(body) ? body : undefined;
  const headers: Record<string, string | number> = { ...options.headers };
  if (multipart)
    Object.assign(headers, { 'content-type': multipart.contentType, 'content-length': multipart.length });
  else if (body !== undefined) headers['content-length'] = Buffer.byteLength(body as Buffer | string);
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'POST', headers, ...(options.agent ? { agent: options.agent } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.once('error', reject);
    if (multipart) pipeline(multipart.stream(), req).catch(reject);
    else req.end(body as Buffer | string | undefined);
  });
}

export interface Window {
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number;
  /** Latency of each successful request, ms. */
  latencies: number[];
  firstError?: string;
}

/**
 * `clients` loops, each sending one request after another until `ms` have passed (bounded by
 * time, so it always stops). `once` resolves true for a success.
 */
export async function loadWindow(
  clients: number,
  ms: number,
  once: () => Promise<{ ok: boolean; ms: number; why?: string }>,
): Promise<Window> {
  const started = performance.now();
  const until = started + ms;
  const out: Window = { ok: 0, errors: 0, seconds: 0, perSecond: 0, latencies: [] };
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const r = await once().catch((err: unknown) => ({ ok: false, ms: 0, why: String(err) }));
        if (r.ok) {
          out.ok++;
          out.latencies.push(r.ms);
        } else {
          out.errors++;
          out.firstError ??= r.why ?? 'failed';
        }
      }
    }),
  );
  out.seconds = (performance.now() - started) / 1000;
  out.perSecond = out.ok / out.seconds;
  return out;
}
