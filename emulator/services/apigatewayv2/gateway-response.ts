import type { RequestContext } from '../../core/context.ts';

/**
 * Responses the gateway makes itself. All are JSON `{"message": …}` with
 * `content-type: application/json`; `apigw-requestid` and any CORS headers come from
 * `ctx.extraHeaders`, so they are on these too.
 */
export function sendGatewayError(ctx: RequestContext, status: number, message: string): void {
  ctx.send(status, { 'content-type': 'application/json' }, JSON.stringify({ message }));
}

export const gatewayError = {
  notFound: (ctx: RequestContext) => sendGatewayError(ctx, 404, 'Not Found'),
  forbidden: (ctx: RequestContext) => sendGatewayError(ctx, 403, 'Forbidden'),
  tooLarge: (ctx: RequestContext) => sendGatewayError(ctx, 413, 'Request Entity Too Large'),
  internal: (ctx: RequestContext) => sendGatewayError(ctx, 500, 'Internal Server Error'),
  unavailable: (ctx: RequestContext) => sendGatewayError(ctx, 503, 'Service Unavailable'),
};

/** The preflight the gateway answers itself: 204, no body, no content-type or content-length. */
export function sendPreflight(ctx: RequestContext): void {
  ctx.writeHead(204, {});
  ctx.res.end();
}
