import { ConfigError } from './env.ts';

/**
 * The slice of the API Gateway HTTP API payload format 2.0 that these functions read, and the
 * result shape they return.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export interface HttpApiEvent {
  version?: string;
  routeKey?: string;
  rawPath?: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { requestId?: string; http?: { method?: string; path?: string } };
}

export interface HttpApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A client mistake: becomes a 4xx `{error, code}` answer, never a 5xx. */
export class ClientError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
    this.status = status;
  }
}

export function jsonResult(statusCode: number, payload: unknown): HttpApiResult {
  return {
    statusCode,
    // no-store: an upload ticket or a file list must never be served from a cache.
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(payload),
  };
}

export function errorResult(statusCode: number, code: string, error: string): HttpApiResult {
  return jsonResult(statusCode, { error, code });
}

/** The request body as text; `undefined` when there is none. Handles `isBase64Encoded`. */
export function bodyText(event: HttpApiEvent | null | undefined): string | undefined {
  const body = event?.body;
  if (typeof body !== 'string' || body === '') return undefined;
  return event?.isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/**
 * Turns anything thrown while answering into an HTTP result: a `ClientError` keeps its status
 * and code; a `ConfigError` is a 500 `CONFIG` that names the variable (nothing secret); a lab
 * stub (`TODO(<check-id>): …`) is a 501 that says which step is missing; anything else is
 * logged and becomes a 500 that leaks no details.
 */
export function failureResult(err: unknown, functionName: string): HttpApiResult {
  if (err instanceof ClientError) return errorResult(err.status, err.code, err.message);
  if (err instanceof ConfigError) {
    console.error(err.message);
    return errorResult(500, err.code, `The ${functionName} function is misconfigured: ${err.message}`);
  }
  if (err instanceof Error && /^TODO\([a-z-]+\)/.test(err.message)) {
    console.error(`${functionName}: not written yet: ${err.message}`);
    return errorResult(501, 'NOT_IMPLEMENTED', err.message);
  }
  console.error(`${functionName}: unexpected error`, err);
  return errorResult(500, 'INTERNAL', 'The server could not complete the request. See the function logs.');
}
