import type { AwsError } from '../core/aws-error.ts';
import type { RequestContext } from '../core/context.ts';
import { toXml } from './xml.ts';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Headers on every S3 response. */
export function s3Headers(ctx: RequestContext): Record<string, string> {
  return {
    'x-amz-request-id': ctx.id,
    'x-amz-id-2': ctx.hostId,
    Date: new Date().toUTCString(),
    Server: 'AmazonS3',
  };
}

/** Writes an S3 XML document. */
export function sendXml(
  ctx: RequestContext,
  status: number,
  root: string,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  ctx.send(
    status,
    { ...s3Headers(ctx), 'Content-Type': 'application/xml', ...headers },
    toXml(root, body, S3_XMLNS),
  );
}

/**
 * Writes an S3 `<Error>`: Code, Message, the error's extra fields, RequestId, HostId.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
export function writeS3Error(ctx: RequestContext, err: AwsError): void {
  // An empty message is left out: S3 sends some errors without a Message element (`x-amz-acl: fake-acl`).
  const message = err.message === '' ? {} : { Message: err.message };
  const body = { Code: err.code, ...message, ...err.fields, RequestId: ctx.id, HostId: ctx.hostId };
  // HEAD responses carry no body; the status says it all.
  ctx.send(
    err.status,
    { ...s3Headers(ctx), 'Content-Type': 'application/xml', ...err.headers },
    ctx.method === 'HEAD' ? undefined : toXml('Error', body),
  );
}
