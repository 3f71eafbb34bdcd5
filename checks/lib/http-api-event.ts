import { randomUUID } from 'node:crypto';

/**
 * An API Gateway HTTP API payload format 2.0 event, as the route would deliver it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 */
export function httpApiEvent(options: {
  method: string;
  path: string;
  body?: string;
  apiId: string;
  region: string;
  account: string;
  origin?: string;
}): Record<string, unknown> {
  const now = new Date();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    host: `${options.apiId}.execute-api.${options.region}.amazonaws.com`,
    'user-agent': 'presigned-upload-lab-checker',
  };
  if (options.origin) headers['origin'] = options.origin;
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  const routeKey = `${options.method} ${options.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: options.path,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: options.account,
      apiId: options.apiId,
      domainName: headers['host'],
      domainPrefix: options.apiId,
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'],
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
  };
}

/** `12/Mar/2020:19:03:58 +0000`, the event's `requestContext.time`. */
function clfTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  );
}
