import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { AwsError } from './aws-error.ts';

/**
 * True when the body uses the SDK's `aws-chunked` framing (streaming SigV4 payloads and
 * flexible-checksum trailers).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  const encoding = String(headers['content-encoding'] ?? '');
  return sha.startsWith('STREAMING-') || encoding.split(',').some((e) => e.trim() === 'aws-chunked');
}

/** Payload length the client declared for an aws-chunked body. */
export function decodedLength(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['x-amz-decoded-content-length'];
  return value === undefined ? undefined : Number(value);
}

const malformed = () =>
  new AwsError('IncompleteBody', 'The request body terminated unexpectedly', { status: 400 });

/**
 * Strips `<hex-size>[;chunk-signature=…]\r\n<data>\r\n` framing and the trailing checksum
 * headers, emitting only payload bytes. Trailers are exposed on `trailers` once done.
 * Chunk signatures are not re-verified: the seed signature of the request is.
 */
export function decodeAwsChunked(): Transform & { trailers: Record<string, string> } {
  let buffer: Buffer = Buffer.alloc(0);
  let remaining = 0; // payload bytes left in the current chunk
  let state: 'header' | 'data' | 'data-crlf' | 'trailers' | 'done' = 'header';
  const trailers: Record<string, string> = {};

  const transform = new Transform({
    transform(chunk: Buffer, _enc, callback: TransformCallback) {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      try {
        while (buffer.length > 0 && state !== 'done') {
          if (state === 'data') {
            const take = Math.min(remaining, buffer.length);
            this.push(buffer.subarray(0, take));
            buffer = buffer.subarray(take);
            remaining -= take;
            if (remaining === 0) state = 'data-crlf';
            continue;
          }
          const eol = buffer.indexOf('\r\n');
          if (eol === -1) {
            if (buffer.length > 64 * 1024) throw malformed();
            break;
          }
          const line = buffer.subarray(0, eol).toString('latin1');
          buffer = buffer.subarray(eol + 2);
          if (state === 'data-crlf') {
            if (line !== '') throw malformed();
            state = 'header';
          } else if (state === 'header') {
            const size = parseInt(line.split(';')[0]!, 16);
            if (!Number.isFinite(size) || size < 0) throw malformed();
            if (size === 0) state = 'trailers';
            else {
              remaining = size;
              state = 'data';
            }
          } else if (state === 'trailers') {
            if (line === '') state = 'done';
            else {
              const colon = line.indexOf(':');
              if (colon > 0)
                trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
            }
          }
        }
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback) {
      // A body that ends right after the zero-size chunk (no blank line) is accepted.
      if (state === 'done' || state === 'trailers') callback();
      else callback(malformed());
    },
  });
  return Object.assign(transform, { trailers });
}
