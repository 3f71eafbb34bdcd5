import { ClientError } from '../lib/http.ts';
import type { TicketConfig } from './config.ts';

/** Longest stored file name (the part after `<uuid>-`), extension included. */
export const MAX_SAFE_NAME_LENGTH = 100;
/** Longest `x-amz-meta-original-name` value; S3 allows 2 KB of user metadata in all. */
export const MAX_ORIGINAL_NAME_FIELD = 1024;
/** A ticket request is a few hundred bytes; anything far bigger is refused before parsing. */
export const MAX_BODY_CHARS = 64 * 1024;

/** A sanitised name: safe characters, no `..`, starts and ends with a letter or digit, at most 100 long. */
export const SAFE_NAME_PATTERN = /^(?!.*\.\.)[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

/** Every key this function hands out under `prefix`: `<prefix><uuid v4>-<safe name>`. */
export function objectKeyPattern(prefix: string): RegExp {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}${UUID_SOURCE}-${SAFE_NAME_PATTERN.source.slice(1)}`);
}
/** The key pattern for the default prefix: `incoming/<uuid v4>-<safe name>`. */
export const OBJECT_KEY_PATTERN = objectKeyPattern('incoming/');

export interface TicketRequest {
  filename: string;
  contentType?: string;
  size?: number;
}

/** What the presigned POST must allow: exactly one key, one size range, one content type if any. */
export interface TicketPlan {
  bucket: string;
  key: string;
  maxBytes: number;
  expiresSeconds: number;
  contentType?: string;
  /** URI-encoded original name, for the `x-amz-meta-original-name` field. */
  originalName: string;
}

/** Parses and validates a request body; throws `ClientError` (400) with a stable code. */
export function parseTicketRequest(text: string | undefined, config: TicketConfig): TicketRequest {
  if (text === undefined || text.trim() === '') {
    throw new ClientError(
      'INVALID_JSON',
      'The request body is empty. Send JSON like {"filename": "photo.png"}.',
    );
  }
  if (text.length > MAX_BODY_CHARS) {
    throw new ClientError('BODY_TOO_LARGE', `The request body is over ${MAX_BODY_CHARS} characters.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ClientError('INVALID_JSON', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ClientError(
      'INVALID_BODY',
      'The request body must be a JSON object like {"filename": "photo.png"}.',
    );
  }
  const fields = body as Record<string, unknown>;
  const { filename } = fields;
  if (typeof filename !== 'string' || filename.trim() === '') {
    throw new ClientError('MISSING_FILENAME', '"filename" is required and must be a non-empty string.');
  }
  const request: TicketRequest = { filename };
  const contentType = parseContentType(fields.contentType, config.allowedContentTypes);
  if (contentType !== undefined) request.contentType = contentType;
  const size = parseSize(fields.size, config.maxBytes);
  if (size !== undefined) request.size = size;
  return request;
}

function parseContentType(value: unknown, allowed: readonly string[]): string | undefined {
  // Browsers report "" for a file type they do not know; null is how many clients say "absent".
  if (value === undefined || value === null || value === '') return undefined;
  const essence = typeof value === 'string' ? (value.split(';')[0] ?? '').trim().toLowerCase() : '';
  if (!/^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(essence)) {
    throw new ClientError('INVALID_CONTENT_TYPE', '"contentType" must be a media type like "image/png".');
  }
  const family = `${essence.split('/')[0] ?? ''}/*`;
  if (!allowed.includes(essence) && !allowed.includes(family)) {
    throw new ClientError(
      'CONTENT_TYPE_NOT_ALLOWED',
      `Files of type ${essence} are not accepted. Allowed: ${allowed.join(', ')}.`,
    );
  }
  return essence;
}

function parseSize(value: unknown, maxBytes: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ClientError('INVALID_SIZE', '"size" must be a whole number of bytes, 0 or more.');
  }
  if (value === 0) throw new ClientError('EMPTY_FILE', 'The file is empty; choose a file with content.');
  if (value > maxBytes) {
    throw new ClientError(
      'FILE_TOO_LARGE',
      `The file is ${value} bytes; the limit is ${maxBytes} bytes (${formatMiB(maxBytes)}).`,
    );
  }
  return value;
}

function formatMiB(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(2))} MiB`;
}

/**
 * Turns whatever name a client sends into a safe last key segment: the base name only (`/` and `\`),
 * accents folded, control characters dropped, other characters outside `[A-Za-z0-9._-]` as one `_`,
 * no `..`, no leading or trailing `.`/`_`/`-`, at most 100 characters keeping a short extension,
 * and `file` when nothing is left.
 */
export function sanitizeFilename(input: string): string {
  const base =
    input
      .split(/[/\\]/)
      .filter((part) => part !== '')
      .pop() ?? '';
  const cleaned = base
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\p{Cc}/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/_{2,}/g, '_');
  const match = /^(.+)\.([A-Za-z0-9]{1,16})$/.exec(cleaned);
  const ext = match?.[2] ?? '';
  const room = ext ? MAX_SAFE_NAME_LENGTH - ext.length - 1 : MAX_SAFE_NAME_LENGTH;
  const stem = trimEdges(trimEdges(match?.[1] ?? cleaned).slice(0, room)) || 'file';
  return ext ? `${stem}.${ext}` : stem;
}

function trimEdges(text: string): string {
  return text.replace(/^[._-]+|[._-]+$/g, '');
}

/** The object key: `<prefix><uuid>-<safe name>`. */
export function objectKeyFor(prefix: string, filename: string, uuid: string): string {
  return `${prefix}${uuid}-${sanitizeFilename(filename)}`;
}

/**
 * The original name as a metadata value: URI-encoded (metadata must be ASCII), control characters
 * dropped, lone surrogates replaced, cut at a whole character so it stays under 1 KB.
 */
export function encodeOriginalName(filename: string): string {
  const clean = filename
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/\p{Cc}/gu, '');
  let encoded = '';
  for (const char of clean) {
    const piece = encodeURIComponent(char);
    if (encoded.length + piece.length > MAX_ORIGINAL_NAME_FIELD) break;
    encoded += piece;
  }
  return encoded || encodeURIComponent(sanitizeFilename(filename));
}

/** Everything the presigned POST needs, decided from a valid request. */
export function planTicket(request: TicketRequest, config: TicketConfig, uuid: string): TicketPlan {
  const plan: TicketPlan = {
    bucket: config.bucket,
    key: objectKeyFor(config.uploadPrefix, request.filename, uuid),
    maxBytes: config.maxBytes,
    expiresSeconds: config.expiresSeconds,
    originalName: encodeOriginalName(request.filename),
  };
  if (request.contentType !== undefined) plan.contentType = request.contentType;
  return plan;
}
