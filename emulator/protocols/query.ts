import { AwsError } from '../core/aws-error.ts';
import type { RequestContext } from '../core/context.ts';
import { parseForm } from '../core/query-string.ts';
import { toXml } from './xml.ts';

/** The flattened parameters of an AWS Query request (`Action`, `Tags.member.1.Key`, …). */
export type QueryParams = Map<string, string>;

/** Reads Query parameters from the form body (POST) or the URL (GET). */
export async function readQueryParams(ctx: RequestContext): Promise<QueryParams> {
  if (ctx.method === 'GET') return new Map(ctx.query);
  const type = ctx.header('content-type') ?? '';
  const body = (await ctx.body()).toString('utf8');
  if (body && !type.includes('x-www-form-urlencoded') && !type.includes('text/plain') && type !== '')
    throw new AwsError('InvalidParameterValue', `Unsupported content type: ${type}`, { status: 400 });
  const params = parseForm(body);
  for (const [k, v] of ctx.query) if (!params.has(k)) params.set(k, v);
  return params;
}

/** Reads a `Name.member.N` list. */
export function memberList(params: QueryParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++) out.push(params.get(`${name}.member.${i}`)!);
  return out;
}

/** Reads a `Name.member.N.Field` list of structures. */
export function memberStructs(params: QueryParams, name: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (let i = 1; ; i++) {
    const prefix = `${name}.member.${i}.`;
    const item: Record<string, string> = {};
    for (const [k, v] of params) if (k.startsWith(prefix)) item[k.slice(prefix.length)] = v;
    if (Object.keys(item).length === 0) return out;
    out.push(item);
  }
}

/** Writes `<{Action}Response><{Action}Result>…</…><ResponseMetadata><RequestId/></…>`. */
export function sendQueryResult(ctx: RequestContext, xmlns: string, action: string, result: unknown): void {
  const body: Record<string, unknown> = {};
  if (result !== undefined) body[`${action}Result`] = result;
  body['ResponseMetadata'] = { RequestId: ctx.id };
  ctx.send(
    200,
    { 'Content-Type': 'text/xml', 'x-amzn-RequestId': ctx.id },
    toXml(`${action}Response`, body, xmlns),
  );
}

/** Writes `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function writeQueryError(ctx: RequestContext, xmlns: string, err: AwsError): void {
  const body = {
    Error: {
      Type: err.status >= 500 ? 'Receiver' : 'Sender',
      Code: err.code,
      Message: err.message,
      ...err.fields,
    },
    RequestId: ctx.id,
  };
  ctx.send(
    err.status,
    { 'Content-Type': 'text/xml', 'x-amzn-RequestId': ctx.id, ...err.headers },
    toXml('ErrorResponse', body, xmlns),
  );
}
