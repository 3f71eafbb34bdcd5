import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../core/context.ts';
import { parseQuery } from '../../core/query-string.ts';

/** One request as the data plane hands it to an integration (the input of both event formats). */
export interface GatewayRequest {
  requestId: string;
  apiId: string;
  region: string;
  stage: string;
  routeKey: string;
  method: string;
  /** The path as the client sent it below the API id, stage prefix included (percent-encoded). */
  rawPath: string;
  rawQuery: string;
  queryPairs: Array<[string, string]>;
  /** Header names lower-cased, in the order received, duplicates kept. */
  headerPairs: Array<[string, string]>;
  pathParameters: Record<string, string> | undefined;
  stageVariables: Record<string, string>;
  body: Buffer;
  sourceIp: string;
  userAgent: string;
  protocol: string;
  time: Date;
}

/** An `apigw-requestid`: AWS's look, e.g. `NrMnBi7ZoAMEVsA=`. */
export const apigwRequestId = (): string => randomBytes(11).toString('base64');

export function gatewayRequest(
  ctx: RequestContext,
  fields: Pick<
    GatewayRequest,
    | 'requestId'
    | 'apiId'
    | 'region'
    | 'stage'
    | 'routeKey'
    | 'rawPath'
    | 'pathParameters'
    | 'stageVariables'
    | 'body'
  >,
): GatewayRequest {
  const raw = ctx.req.rawHeaders;
  const headerPairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) headerPairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return {
    ...fields,
    method: ctx.method,
    rawQuery: ctx.rawQuery,
    queryPairs: parseQuery(ctx.rawQuery),
    headerPairs,
    sourceIp: (ctx.req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    userAgent: ctx.header('user-agent') ?? '',
    protocol: `HTTP/${ctx.req.httpVersion}`,
    time: new Date(),
  };
}

/** Joins duplicate names with "," (how both event formats flatten headers and query strings). */
export function joinPairs(pairs: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) out[name] = name in out ? `${out[name]},${value}` : value;
  return out;
}

/** Groups duplicate names into lists (payload 1.0's `multiValue*` fields). */
export function groupPairs(pairs: Array<[string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of pairs) (out[name] ??= []).push(value);
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the `requestContext.time` format. */
export function clfTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${p(date.getUTCHours())}:${p(
    date.getUTCMinutes(),
  )}:${p(date.getUTCSeconds())} +0000`;
}

/**
 * Whether a body travels to Lambda as text. UNVERIFIED (aws-behavior.md §4.4), chosen here once:
 * text/*, JSON, XML, JavaScript and form-urlencoded bodies go as plain strings
 * (`isBase64Encoded: false`); everything else, and any body that is not valid UTF-8, is
 * base64-encoded. A body without a content-type is text when it is valid UTF-8.
 */
export function isTextBody(contentType: string | undefined, body: Buffer): boolean {
  if (!isUtf8(body)) return false;
  if (contentType === undefined) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    /^application\/(json|xml|javascript|x-www-form-urlencoded)$/.test(type) ||
    /\+(json|xml)$/.test(type)
  );
}
