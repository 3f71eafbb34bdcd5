import { AwsError } from '../core/aws-error.ts';
import type { RequestContext } from '../core/context.ts';
import { readJson } from './rest-json.ts';

/** AWS JSON 1.1 (CloudWatch Logs and the other `X-Amz-Target` services). */
export const JSON_11 = 'application/x-amz-json-1.1';

/**
 * Reads an AWS JSON 1.x request: `POST /`, the operation in `X-Amz-Target: <prefix>.<Operation>`,
 * the input as the JSON body. A target of another prefix, or none, is not an operation of the service.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
export async function readJsonTarget(
  ctx: RequestContext,
  prefix: string,
): Promise<{ operation: string; input: Record<string, unknown> }> {
  const target = ctx.header('x-amz-target') ?? '';
  const dot = target.lastIndexOf('.');
  if (ctx.method !== 'POST' || dot === -1 || target.slice(0, dot) !== prefix)
    throw new AwsError('UnknownOperationException', '', { status: 400 });
  const input = await readJson(ctx, 'SerializationException');
  return { operation: target.slice(dot + 1), input };
}

export function sendJson11(ctx: RequestContext, body: unknown): void {
  ctx.send(200, { 'Content-Type': JSON_11, 'x-amzn-RequestId': ctx.id }, JSON.stringify(body ?? {}));
}

/** `{"__type": "<Code>", "message": "<text>"}` with the code's status (400 for client errors). */
export function writeJson11Error(ctx: RequestContext, err: AwsError): void {
  ctx.send(
    err.status,
    { 'Content-Type': JSON_11, 'x-amzn-RequestId': ctx.id, ...err.headers },
    JSON.stringify({ __type: err.code, ...(err.message ? { message: err.message } : {}), ...err.fields }),
  );
}
