import { AwsError } from '../core/aws-error.ts';
import type { RequestContext } from '../core/context.ts';

/** Parses a JSON request body (empty → `{}`), or answers a 400 in the service's terms. */
export async function readJson<T = Record<string, unknown>>(
  ctx: RequestContext,
  errorCode = 'SerializationException',
): Promise<T> {
  const body = await ctx.body();
  if (body.length === 0) return {} as T;
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as T;
  } catch {
    throw new AwsError(errorCode, 'Could not parse request body into json: Unexpected character.', {
      status: 400,
    });
  }
}

export function sendJson(
  ctx: RequestContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  ctx.send(
    status,
    { 'Content-Type': 'application/json', 'x-amzn-RequestId': ctx.id, ...headers },
    body === undefined ? undefined : JSON.stringify(body),
  );
}

/**
 * Writes a REST-JSON error: `x-amzn-ErrorType` names the code and the body carries the
 * message under the member name the service uses (`Message` for Lambda, `message` for API Gateway).
 */
export function writeJsonError(
  ctx: RequestContext,
  err: AwsError,
  shape: (err: AwsError) => Record<string, unknown> = (e) => ({ message: e.message }),
): void {
  ctx.send(
    err.status,
    {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': ctx.id,
      'x-amzn-ErrorType': err.code,
      ...err.headers,
    },
    JSON.stringify({ ...shape(err), ...err.fields }),
  );
}
