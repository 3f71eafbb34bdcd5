import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { LabOutputs } from '../../../checks/lib/outputs.ts';

/** What `POST /upload-url` answers (docs/contracts.md, "HTTP API"). */
export interface Ticket {
  upload: { url: string; fields: Record<string, string> };
  object_key: string;
  bucket: string;
  expires_in: number;
  max_bytes: number;
}

/** One file to upload: distinct random bytes and their MD5. */
export interface PlannedFile {
  name: string;
  contentType: string;
  body: Buffer;
  md5: string;
}

export const md5Hex = (data: Uint8Array): string => createHash('md5').update(data).digest('hex');

export function randomFile(name: string, size: number): PlannedFile {
  const body = randomBytes(size);
  // text/plain is on the ticket function's default list; the bytes need not be text.
  return { name, contentType: 'text/plain', body, md5: md5Hex(body) };
}

/** `POST {apiEndpoint}/upload-url` for `file`; throws with the answer unless it is 200. */
export async function requestTicket(outputs: LabOutputs, file: PlannedFile): Promise<Ticket> {
  const res = await fetch(`${outputs.apiEndpoint}/upload-url`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename: file.name, contentType: file.contentType, size: file.body.length }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /upload-url answered ${res.status}: ${text}`);
  return JSON.parse(text) as Ticket;
}

export interface PostOptions {
  /** Bytes per write (default 64 KiB). */
  chunkBytes?: number;
  /** After this many file bytes, call `onPause` and wait for `resume` before sending the rest. */
  pauseAfter?: number;
  onPause?: () => void;
  resume?: Promise<void>;
}

/** How a POST ended: the HTTP status, or (status 0) the error that cut it off. */
export interface PostOutcome {
  status: number;
  body: string;
  error?: string;
}

/**
 * The browser's direct upload: the ticket's fields, then the file last, as multipart/form-data,
 * streamed over node:http so that a test can hold it mid-body.
 */
export function postWithTicket(
  ticket: Ticket,
  file: PlannedFile,
  options: PostOptions = {},
): Promise<PostOutcome> {
  const boundary = `----reliability${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(ticket.upload.fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = options.chunkBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: PostOutcome) => {
      if (!settled) resolve(outcome);
      settled = true;
    };
    const req = request(ticket.upload.url, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + file.body.length + tail.length),
      },
    });
    req.on('error', (err) =>
      done({ status: 0, body: '', error: (err as NodeJS.ErrnoException).code ?? err.message }),
    );
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', (err) => done({ status: 0, body: '', error: err.message }));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
    });
    const write = (data: Buffer) =>
      new Promise<void>((ok) => {
        if (req.write(data)) return ok();
        const done = () => {
          req.off('drain', done).off('close', done);
          ok();
        };
        req.on('drain', done).on('close', done);
      });
    void (async () => {
      await write(head);
      for (let at = 0; at < file.body.length && !req.destroyed; at += chunk) {
        if (options.pauseAfter !== undefined && at >= options.pauseAfter && at - chunk < options.pauseAfter) {
          options.onPause?.();
          await options.resume;
        }
        await write(file.body.subarray(at, at + chunk));
      }
      if (!req.destroyed) req.end(tail);
    })();
  });
}

/** `metadata/<name>.json` for `incoming/<name>` (docs/contracts.md, "Records"). */
export function recordKeyFor(outputs: LabOutputs, key: string): string {
  return `${outputs.metadataPrefix}${key.slice(outputs.uploadPrefix.length)}.json`;
}

/** Runs `task` over `items` with at most `limit` at once; reports the most that were ever in flight. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<{ results: R[]; peak: number }> {
  const results = new Array<R>(items.length);
  let next = 0;
  let running = 0;
  let peak = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      running++;
      peak = Math.max(peak, running);
      try {
        results[i] = await task(items[i]!, i);
      } finally {
        running--;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return { results, peak };
}
