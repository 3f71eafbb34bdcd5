import { maxHeaderSize, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { hostId, s3RequestId } from './core/ids.ts';
import { toXml } from './protocols/xml.ts';

/**
 * The answer to bytes Node's HTTP parser refused, before any service could see them: S3's
 * front-door errors as an XML `<Error>` [COMMUNITY: `RequestHeaderSectionTooLarge` with
 * `MaxSizeAllowed`; `BadRequest` "An error occurred when parsing the HTTP request." quoted in
 * aws/aws-sdk-cpp#1559]. The header limit is Node's (AWS's is 8 KB).
 */
function frontDoorError(code: string | undefined): { code: string; message: string; fields: object } {
  if (code === 'HPE_HEADER_OVERFLOW')
    return {
      code: 'RequestHeaderSectionTooLarge',
      message: 'Your request header section exceeds the maximum allowed size.',
      fields: { MaxSizeAllowed: maxHeaderSize },
    };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return {
      code: 'RequestTimeout',
      message:
        'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.',
      fields: {},
    };
  return { code: 'BadRequest', message: 'An error occurred when parsing the HTTP request.', fields: {} };
}

/**
 * Handles `clientError`: writes the XML error and closes the connection. A response still
 * being written for an earlier request on the same connection (a body shorter than its
 * Content-Length leaves the rest to be parsed as the next request) finishes first, so the
 * client reads its real answer instead of the 400 cutting in.
 */
export function answerClientError(
  err: NodeJS.ErrnoException,
  socket: Duplex,
  inFlight: { req: IncomingMessage; res: ServerResponse } | undefined,
): void {
  // The request being served never got its whole body (the client hung up mid-body): nobody is
  // left to answer; closing lets the operation see 'aborted' and clean up what it staged.
  if (inFlight && !inFlight.req.complete) return void socket.destroy();
  const write = () => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const { code, message, fields } = frontDoorError(err.code);
    const requestId = s3RequestId();
    const body = toXml('Error', {
      Code: code,
      Message: message,
      ...fields,
      RequestId: requestId,
      HostId: hostId(),
    });
    socket.end(
      [
        'HTTP/1.1 400 Bad Request',
        'Content-Type: application/xml',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `x-amz-request-id: ${requestId}`,
        `Date: ${new Date().toUTCString()}`,
        'Server: AmazonS3',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  };
  const res = inFlight?.res;
  if (res && !res.writableFinished && !res.destroyed) {
    res.once('finish', write).once('close', () => {
      if (!res.writableFinished) socket.destroy();
    });
  } else write();
}
