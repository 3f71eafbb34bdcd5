import { ACCOUNT_ID } from '../../auth/principal.ts';
import { clfTime, groupPairs, isTextBody, joinPairs, type GatewayRequest } from './gateway-request.ts';

/**
 * The events a Lambda proxy integration receives.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */

function bodyOf(request: GatewayRequest): { body?: string; isBase64Encoded: boolean } {
  if (request.body.length === 0) return { isBase64Encoded: false };
  const contentType = request.headerPairs.find(([n]) => n === 'content-type')?.[1];
  return isTextBody(contentType, request.body)
    ? { body: request.body.toString('utf8'), isBase64Encoded: false }
    : { body: request.body.toString('base64'), isBase64Encoded: true };
}

const domainName = (r: GatewayRequest) => `${r.apiId}.execute-api.${r.region}.amazonaws.com`;
const nonEmpty = <T extends object>(value: T) => (Object.keys(value).length > 0 ? value : undefined);

/**
 * Payload format 2.0. Absent optional fields (`cookies`, `queryStringParameters`, `body`,
 * `pathParameters`, `stageVariables`) are omitted, not null [UNVERIFIED, widely observed];
 * cookies move out of `headers` into `cookies`; with a named stage `rawPath` keeps the stage
 * prefix, and its segments arrive percent-decoded [both UNVERIFIED].
 */
export function eventV2(r: GatewayRequest): Record<string, unknown> {
  const cookies = r.headerPairs
    .filter(([n]) => n === 'cookie')
    .flatMap(([, v]) => v.split(';'))
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const headers = joinPairs(r.headerPairs.filter(([n]) => n !== 'cookie'));
  const query = nonEmpty(joinPairs(r.queryPairs));
  const rawPath = r.rawPath.split('/').map(decodeSafely).join('/');
  return {
    version: '2.0',
    routeKey: r.routeKey,
    rawPath,
    rawQueryString: r.rawQuery,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(query && { queryStringParameters: query }),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: r.apiId,
      domainName: domainName(r),
      domainPrefix: r.apiId,
      http: {
        method: r.method,
        path: rawPath,
        protocol: r.protocol,
        sourceIp: r.sourceIp,
        userAgent: r.userAgent,
      },
      requestId: r.requestId,
      routeKey: r.routeKey,
      stage: r.stage,
      time: clfTime(r.time),
      timeEpoch: r.time.getTime(),
    },
    ...bodyOf(r),
    ...(r.pathParameters && nonEmpty(r.pathParameters) && { pathParameters: r.pathParameters }),
    ...(nonEmpty(r.stageVariables) && { stageVariables: r.stageVariables }),
  };
}

/** Payload format 1.0 (the REST API proxy shape): absent maps are null, multi-value maps beside the flat ones. */
export function eventV1(r: GatewayRequest): Record<string, unknown> {
  const resource = r.routeKey === '$default' ? '$default' : r.routeKey.slice(r.routeKey.indexOf(' ') + 1);
  const path = r.rawPath.split('/').map(decodeSafely).join('/');
  const { body, isBase64Encoded } = bodyOf(r);
  return {
    version: '1.0',
    resource,
    path,
    httpMethod: r.method,
    headers: joinPairs(r.headerPairs),
    multiValueHeaders: groupPairs(r.headerPairs),
    queryStringParameters: nonEmpty(joinPairs(r.queryPairs)) ?? null,
    multiValueQueryStringParameters: nonEmpty(groupPairs(r.queryPairs)) ?? null,
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: r.apiId,
      domainName: domainName(r),
      domainPrefix: r.apiId,
      extendedRequestId: r.requestId,
      httpMethod: r.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: r.sourceIp,
        user: null,
        userAgent: r.userAgent,
        userArn: null,
      },
      path,
      protocol: r.protocol,
      requestId: r.requestId,
      requestTime: clfTime(r.time),
      requestTimeEpoch: r.time.getTime(),
      resourceId: r.routeKey,
      resourcePath: resource,
      stage: r.stage,
    },
    pathParameters: (r.pathParameters && nonEmpty(r.pathParameters)) ?? null,
    stageVariables: nonEmpty(r.stageVariables) ?? null,
    body: body ?? null,
    isBase64Encoded,
  };
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
