/**
 * Turns a Lambda proxy result into the HTTP response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */

export interface MappedResponse {
  status: number;
  /** Lower-case names; several values become several header lines (`set-cookie`). */
  headers: Record<string, string[]>;
  body: Buffer;
}

/**
 * UNVERIFIED (aws-behavior.md §4.5), chosen here once: when the function gives a statusCode
 * but no content-type, the response says `text/plain; charset=utf-8`.
 */
const DEFAULT_CONTENT_TYPE = 'text/plain; charset=utf-8';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers the gateway computes itself; the function's values for them are dropped. */
const HOP_BY_HOP = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'apigw-requestid',
]);

export class MalformedResponse extends Error {}

/**
 * Payload 2.0: a result without `statusCode` is 200 JSON whose body is the function's output (a
 * string result is the body itself); with `statusCode` it is `{statusCode, headers, cookies,
 * body, isBase64Encoded}`. Payload 1.0: `statusCode` is required, `multiValueHeaders` allowed.
 * Anything else is malformed (the caller answers 500).
 */
export function mapLambdaResult(payload: Buffer, version: string): MappedResponse {
  let value: unknown;
  const text = payload.toString('utf8');
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedResponse('the function returned something that is not JSON');
  }
  const structured =
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'statusCode' in value;
  if (!structured) {
    if (version === '1.0') throw new MalformedResponse('a payload 1.0 result needs a statusCode');
    const body = typeof value === 'string' ? value : text.trim();
    return { status: 200, headers: { 'content-type': ['application/json'] }, body: Buffer.from(body) };
  }
  const result = value as Record<string, unknown>;
  const status = result['statusCode'];
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    throw new MalformedResponse(`statusCode ${JSON.stringify(status)} is not an HTTP status`);
  const headers: Record<string, string[]> = {};
  const add = (name: string, v: unknown) => {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw new MalformedResponse(`header ${name} has a value that is not a string`);
    if (!TOKEN.test(name) || /[\r\n\0]/.test(String(v)))
      throw new MalformedResponse(`header ${JSON.stringify(name)} is not a valid HTTP header`);
    const key = name.toLowerCase();
    if (!HOP_BY_HOP.has(key)) (headers[key] ??= []).push(String(v));
  };
  for (const [name, v] of Object.entries(objectOf(result['headers'], 'headers'))) add(name, v);
  if (version === '1.0')
    for (const [name, list] of Object.entries(objectOf(result['multiValueHeaders'], 'multiValueHeaders'))) {
      if (!Array.isArray(list)) throw new MalformedResponse(`multiValueHeaders.${name} is not a list`);
      if (headers[name.toLowerCase()]) delete headers[name.toLowerCase()];
      for (const v of list) add(name, v);
    }
  if (version !== '1.0' && result['cookies'] !== undefined && result['cookies'] !== null) {
    const cookies = result['cookies'];
    if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== 'string'))
      throw new MalformedResponse('cookies is not a list of strings');
    for (const cookie of cookies as string[]) (headers['set-cookie'] ??= []).push(cookie);
  }
  const body = result['body'];
  if (body !== undefined && body !== null && typeof body !== 'string')
    throw new MalformedResponse('body is not a string');
  const base64 = result['isBase64Encoded'];
  if (base64 !== undefined && base64 !== null && typeof base64 !== 'boolean')
    throw new MalformedResponse('isBase64Encoded is not true or false');
  headers['content-type'] ??= [DEFAULT_CONTENT_TYPE];
  return {
    status,
    headers,
    body: Buffer.from((body as string | undefined | null) ?? '', base64 === true ? 'base64' : 'utf8'),
  };
}

function objectOf(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new MalformedResponse(`${name} is not an object`);
  return value as Record<string, unknown>;
}
