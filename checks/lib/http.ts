/** Small HTTP helpers for the live evidence: preflights, form uploads, and S3's XML errors. */

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface S3ErrorInfo {
  code: string;
  message: string;
  /** For `Policy Condition failed`, the condition S3 printed, e.g. `["eq", "$key", "…"]`. */
  condition?: string;
}

export const REQUEST_TIMEOUT_MS = 10_000;

async function answer(res: Response): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  return { status: res.status, headers, body: await res.text() };
}

/** A CORS preflight exactly as a browser sends it before a cross-origin request. */
export async function preflight(
  url: string,
  origin: string,
  method: string,
  requestHeaders: string[] = [],
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { Origin: origin, 'Access-Control-Request-Method': method };
  if (requestHeaders.length > 0) headers['Access-Control-Request-Headers'] = requestHeaders.join(',');
  const res = await fetch(url, {
    method: 'OPTIONS',
    headers,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return answer(res);
}

export async function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return answer(res);
}

export interface UploadFile {
  name: string;
  type: string;
  body: string;
}

/** A browser-style POST Object upload: every field in order, then the file, as multipart form data. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
  file: UploadFile,
  headers: Record<string, string> = {},
): Promise<HttpAnswer & { error?: S3ErrorInfo }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file.body], { type: file.type }), file.name);
  const res = await fetch(url, {
    method: 'POST',
    body: form,
    headers,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const out = await answer(res);
  const error = out.status >= 300 ? parseS3Error(out.body) : undefined;
  return error ? { ...out, error } : out;
}

/** Reads `<Code>` and `<Message>` out of an S3 XML error body. */
export function parseS3Error(xml: string): S3ErrorInfo | undefined {
  const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
  if (code === undefined) return undefined;
  const message = decodeXml(/<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? '');
  const condition = /Policy Condition failed: (.*)$/.exec(message)?.[1];
  return condition === undefined ? { code, message } : { code, message, condition };
}

function decodeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A header value split on commas, trimmed and lower-cased (`access-control-allow-methods` etc.). */
export function headerList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v.length > 0);
}

const SECRET_FIELDS =
  /("(?:x-amz-security-token|x-amz-signature|x-amz-credential|policy|signature|awsaccesskeyid)"\s*:\s*)"[^"]*"/gi;

/** A ticket's signing fields blanked out: evidence ends up in CI logs and grade files. */
export function redact(text: string): string {
  return text.replace(SECRET_FIELDS, '$1"…"');
}

/** Trims a response body for a hint or evidence line, without the ticket's signing secrets. */
export function snippet(text: string, max = 160): string {
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The CORS-relevant headers of an answer (and `etag`), for evidence. */
export function corsHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([k]) => k.startsWith('access-control-') || k === 'vary' || k === 'etag'),
  );
}
