import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { sendJson } from '../../../protocols/rest-json.ts';
import { lambdaErrors } from '../errors.ts';
import type { FunctionRecord } from '../model.ts';
import type { LambdaState } from '../state.ts';

/** A synchronous request body may hold 6 MB. */
export const MAX_REQUEST_BYTES = 6_291_456;

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'];
const LOG_TYPES = ['None', 'Tail'];

/** The request body, refusing more than 6 MB with Invoke's own message. */
export async function readPayload(ctx: RequestContext): Promise<Buffer> {
  let body: Buffer;
  try {
    body = await ctx.body(MAX_REQUEST_BYTES);
  } catch (err) {
    if (err instanceof AwsError && err.code === 'RequestEntityTooLargeException') throw tooLarge();
    throw err;
  }
  // The signature check may have read the body already, under the general limit.
  if (body.length > MAX_REQUEST_BYTES) throw tooLarge();
  return body;
}

export const tooLarge = () => lambdaErrors.requestTooLarge(MAX_REQUEST_BYTES, 'InvokeFunction');

/**
 * Invoke: RequestResponse → 200 with the result (function errors too, flagged by
 * `X-Amz-Function-Error`), Event → 202 (queued), DryRun → 204. `X-Amz-Log-Type: Tail` adds the
 * log's last 4 KB. https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export async function invoke(
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  const type = ctx.header('x-amz-invocation-type') ?? 'RequestResponse';
  const logType = ctx.header('x-amz-log-type') ?? 'None';
  const findings: string[] = [];
  if (!INVOCATION_TYPES.includes(type))
    findings.push(
      `Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [${INVOCATION_TYPES.join(', ')}]`,
    );
  if (!LOG_TYPES.includes(logType))
    findings.push(
      `Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [${LOG_TYPES.join(', ')}]`,
    );
  if (findings.length) throw lambdaErrors.validation(findings);
  const payload = await readPayload(ctx);
  if (payload.length > 0 && !isJson(payload)) throw lambdaErrors.invalidJsonPayload();
  const clientContext = readClientContext(ctx.header('x-amz-client-context'));
  if (record.state === 'Pending') throw lambdaErrors.notActive('Pending');

  if (type === 'DryRun') return sendJson(ctx, 204, undefined);
  if (type === 'Event') {
    lambda.async.enqueue(record.arn, payload);
    return sendJson(ctx, 202, undefined);
  }
  const result = await lambda.invoke(record, payload, clientContext);
  ctx.send(
    200,
    {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': result.requestId,
      'X-Amz-Executed-Version': '$LATEST',
      ...(result.functionError ? { 'X-Amz-Function-Error': result.functionError } : {}),
      ...(logType === 'Tail' ? { 'X-Amz-Log-Result': result.logTail } : {}),
    },
    result.payload,
  );
}

function isJson(payload: Buffer): boolean {
  try {
    JSON.parse(payload.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** `X-Amz-Client-Context`: base64 JSON, handed to the function as `context.clientContext`. */
function readClientContext(header: string | undefined): unknown {
  if (header === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as unknown;
  } catch {
    // UNVERIFIED wording.
    throw new AwsError(
      'InvalidRequestContentException',
      'Client context must be a valid Base64-encoded JSON object.',
      {
        status: 400,
      },
    );
  }
}
