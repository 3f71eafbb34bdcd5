import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import type { CheckContext } from '../context.ts';
import { parseArn } from './arn.ts';
import { isAwsError } from './aws.ts';
import { httpApiEvent } from './http-api-event.ts';

/** What `POST /upload-url` answers (docs/contracts.md, "HTTP API"). */
export interface Ticket {
  upload: { url: string; fields: Record<string, string> };
  object_key: string;
  bucket?: string;
  expires_in?: number;
  max_bytes?: number;
}

export interface Invocation {
  /** The HTTP status the route would answer (200 when the function returns a bare object). */
  status: number;
  body: unknown;
  rawBody: string;
  functionError?: { errorType: string; errorMessage: string };
  /** The last lines of the function's log for this invocation. */
  logTail: string;
}

/** The upload-ticket function's configuration, once per run; undefined when it does not exist. */
export function ticketFunction(ctx: CheckContext): Promise<FunctionConfiguration | undefined> {
  return ctx.memo('ticket-function-config', async () => {
    try {
      return await ctx.aws.lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: ctx.target.functions.uploadTicket }),
      );
    } catch (err) {
      if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
      throw err;
    }
  });
}

/** The account and partition the stack lives in, from a function ARN. */
export function accountOf(config: FunctionConfiguration | undefined): { account: string; partition: string } {
  const arn = parseArn(config?.FunctionArn ?? '');
  return { account: arn?.account ?? '000000000000', partition: arn?.partition ?? 'aws' };
}

/** Calls the function the way the route would for `POST /upload-url` with this body. */
export async function invokeUploadUrl(ctx: CheckContext, body: string | undefined): Promise<Invocation> {
  const config = await ticketFunction(ctx);
  const event = httpApiEvent({
    method: 'POST',
    path: '/upload-url',
    ...(body !== undefined ? { body } : {}),
    apiId: ctx.target.apiId,
    region: ctx.target.region,
    account: accountOf(config).account,
    origin: ctx.target.frontendOrigin,
  });
  const out = await ctx.aws.lambda.send(
    new InvokeCommand({
      FunctionName: ctx.target.functions.uploadTicket,
      Payload: new TextEncoder().encode(JSON.stringify(event)),
      LogType: 'Tail',
    }),
  );
  const payload = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
  const logTail = out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8').trim() : '';
  const result = parseJson(payload);
  if (out.FunctionError) {
    const r = (result ?? {}) as { errorType?: string; errorMessage?: string };
    return {
      status: 500,
      body: result,
      rawBody: payload,
      functionError: { errorType: r.errorType ?? out.FunctionError, errorMessage: r.errorMessage ?? payload },
      logTail,
    };
  }
  // HTTP API payload 2.0: a result without statusCode is the body of a 200.
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const r = result as { statusCode: number; body?: string };
    const rawBody = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? '');
    return { status: Number(r.statusCode), body: parseJson(rawBody), rawBody, logTail };
  }
  return { status: 200, body: result, rawBody: payload, logTail };
}

/** A valid ticket request for a small text file named after the run. */
export function ticketRequest(ctx: CheckContext, purpose: string, size = 64): string {
  return JSON.stringify({
    filename: `lab-check-${ctx.runId}-${purpose}.txt`,
    contentType: 'text/plain',
    size,
  });
}

/** What a ticket is missing, as paths (`upload.fields.key`, …); empty when it has the contract's shape. */
export function ticketProblems(body: unknown): string[] {
  const t = (body ?? {}) as Partial<Ticket>;
  const missing: string[] = [];
  if (!t.upload || typeof t.upload !== 'object')
    return ['upload.url', 'upload.fields', ...(t.object_key ? [] : ['object_key'])];
  if (typeof t.upload.url !== 'string' || !/^https?:\/\//.test(t.upload.url)) missing.push('upload.url');
  const fields = t.upload.fields;
  if (!fields || typeof fields !== 'object') missing.push('upload.fields');
  else {
    const names = Object.keys(fields).map((f) => f.toLowerCase());
    for (const f of ['key', 'policy']) if (!names.includes(f)) missing.push(`upload.fields.${f}`);
    if (!names.includes('x-amz-signature') && !names.includes('signature'))
      missing.push('upload.fields.x-amz-signature');
  }
  if (typeof t.object_key !== 'string' || t.object_key === '') missing.push('object_key');
  return missing;
}

/** A fresh ticket, for rows that run after `ticket-function` passed. */
export async function freshTicket(ctx: CheckContext, purpose: string): Promise<Ticket> {
  const call = await invokeUploadUrl(ctx, ticketRequest(ctx, purpose));
  const problems = ticketProblems(call.body);
  if (call.status !== 200 || problems.length > 0) {
    throw new Error(`the ticket function answered ${call.status} ${call.rawBody.slice(0, 200)}`);
  }
  return call.body as Ticket;
}

/** A form field by name, case-insensitively (S3 field names are). */
export function field(fields: Record<string, string>, name: string): string | undefined {
  const hit = Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
  return hit === undefined ? undefined : fields[hit];
}

export interface PostPolicy {
  expiration: string;
  conditions: unknown[];
}

export function decodePolicy(fields: Record<string, string>): PostPolicy | undefined {
  const b64 = field(fields, 'policy');
  if (!b64) return undefined;
  try {
    return JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as PostPolicy;
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
