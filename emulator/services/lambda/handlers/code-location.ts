import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RequestContext } from '../../../core/context.ts';
import type { FunctionRecord } from '../model.ts';
import type { LambdaState } from '../state.ts';

/** AWS's code location is a presigned URL valid for 10 minutes. */
const LOCATION_SECONDS = 600;

/**
 * GetFunction's `Code.Location`: a URL presigned with the caller's own key that answers
 * `GET /2015-03-31/functions/{name}/code` with the zip (the local AWS's stand-in for AWS's
 * presigned S3 URL). Anonymous callers get no URL.
 */
export async function codeLocation(ctx: RequestContext, record: FunctionRecord): Promise<string> {
  const principal = ctx.principal;
  const path = `/2015-03-31/functions/${encodeURIComponent(record.name)}/code`;
  if (principal.type === 'anonymous') return `${ctx.baseUrl}${path}`;
  const key = ctx.env.credentials.resolve(principal.accessKeyId, ctx.header('x-amz-security-token'));
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: principal.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}),
    },
    region: ctx.region,
    service: 'lambda',
    sha256: Hash.bind(null, 'sha256'),
  });
  const host = ctx.header('host') ?? `localhost:${ctx.env.port}`;
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: host.replace(/:\d+$/, ''),
      path,
      headers: { host },
      query: {},
    },
    { expiresIn: LOCATION_SECONDS },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${ctx.baseUrl}${path}?${query}`;
}

/** The zip behind a code location (an emulator extension, authorized as lambda:GetFunction). */
export async function getFunctionCode(
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  const zip = await readFile(join(lambda.code.taskDir(record.code.key), '..', 'code.zip'));
  ctx.send(200, { 'Content-Type': 'application/zip', 'x-amzn-RequestId': ctx.id }, zip);
}
