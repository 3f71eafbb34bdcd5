import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { s3Headers } from '../../../protocols/rest-xml.ts';
import type { BucketStore } from '../model/bucket-store.ts';
import { parseTarget } from '../target.ts';
import { corsHeaders, findCorsRule, requestedHeaders } from './cors-rules.ts';

const forbidden = (message: string, method: string, resourceType: 'BUCKET' | 'OBJECT') =>
  new AwsError('AccessForbidden', message, {
    status: 403,
    fields: { Method: method, ResourceType: resourceType },
  });

/**
 * Answers an `OPTIONS` preflight the way S3 does [REC test_s3_cors.snapshot.json, §1.2]:
 * 400 without Origin; 403 `AccessForbidden` for a missing bucket, a bucket without CORS, or
 * no matching rule; 200 with the matched rule's headers otherwise.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
 */
export async function preflight(ctx: RequestContext, buckets: BucketStore): Promise<void> {
  const origin = ctx.header('origin');
  if (origin === undefined)
    throw new AwsError('BadRequest', 'Insufficient information. Origin request header needed.', {
      status: 400,
    });
  const requestMethod = ctx.header('access-control-request-method');
  const method = requestMethod ?? 'OPTIONS';
  const target = parseTarget(ctx);
  const bucket = target.bucket === undefined ? undefined : buckets.inForce(target.bucket);
  if (!bucket) throw forbidden('CORSResponse: Bucket not found', method, 'BUCKET');
  if (!bucket.cors) throw forbidden('CORSResponse: CORS is not enabled for this bucket.', method, 'BUCKET');
  const request = { origin, method, headers: requestedHeaders(ctx.header('access-control-request-headers')) };
  const rule = findCorsRule(bucket.cors, request);
  if (!rule)
    throw forbidden(
      // AWS's own spelling ("evalution").
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      method,
      target.key === undefined ? 'BUCKET' : 'OBJECT',
    );
  // 200, empty body, Content-Length 0 and no Content-Type.
  ctx.send(200, { ...s3Headers(ctx), ...corsHeaders(rule, request, true) });
}

/**
 * CORS on an actual request [§1.3]: with an Origin and a matching rule, the rule's headers go on
 * the response; otherwise the request is served without them. A request carrying
 * Access-Control-Request-Method is evaluated with that method instead [REC get-wrong-op].
 *
 * Decided once, here, before the operation runs, so error responses (e.g. a refused POST
 * upload) carry the headers too. Whether S3 does this on errors is UNVERIFIED (§1.3);
 * LocalStack does, and it lets a browser read why its upload was refused.
 */
export function applyCors(ctx: RequestContext, buckets: BucketStore, bucketName: string): void {
  const origin = ctx.header('origin');
  if (origin === undefined) return;
  const rules = buckets.inForce(bucketName)?.cors;
  if (!rules) return;
  const request = {
    origin,
    method: ctx.header('access-control-request-method') ?? ctx.method,
    headers: requestedHeaders(ctx.header('access-control-request-headers')),
  };
  const rule = findCorsRule(rules, request);
  if (rule) Object.assign(ctx.extraHeaders, corsHeaders(rule, request, false));
}
