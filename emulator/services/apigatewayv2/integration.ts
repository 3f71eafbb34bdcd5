import { ACCOUNT_ID } from '../../auth/principal.ts';
import { AwsError } from '../../core/aws-error.ts';
import type { RequestContext } from '../../core/context.ts';
import { isCorsHeader } from './cors.ts';
import { eventV1, eventV2 } from './events.ts';
import type { GatewayRequest } from './gateway-request.ts';
import { gatewayError } from './gateway-response.ts';
import { MalformedResponse, mapLambdaResult } from './lambda-response.ts';
import { lambdaArnOf } from './records.ts';
import type { IntegrationRecord } from './types.ts';

const APIGATEWAY = 'apigateway.amazonaws.com';

/**
 * The ARN API Gateway invokes a function for, which the function's resource policy must allow:
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`, or
 * `…/<stage>/$default` for the `$default` route.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
 */
export function sourceArn(request: GatewayRequest): string {
  const base = `arn:aws:execute-api:${request.region}:${ACCOUNT_ID}:${request.apiId}/${request.stage}`;
  if (request.routeKey === '$default') return `${base}/$default`;
  const path = request.routeKey.slice(request.routeKey.indexOf(' ') + 1);
  return `${base}/${request.method}${path}`;
}

/**
 * Calls the Lambda behind an AWS_PROXY integration and writes its response. Failures are what
 * the client of a real HTTP API sees: 500 `Internal Server Error` for a missing permission, a
 * function error or a malformed result, 503 `Service Unavailable` when the integration times
 * out. The cause goes to the emulator log (AWS shows it only in access logs).
 */
export async function invokeLambdaIntegration(
  ctx: RequestContext,
  integration: IntegrationRecord,
  request: GatewayRequest,
  stripCors: boolean,
): Promise<void> {
  const fail = (why: string) =>
    ctx.env.logger.info(`${ctx.id} execute-api ${request.apiId} ${request.routeKey}: ${why}`);
  const lambda = ctx.env.lambda;
  const arn = integration.integrationUri && lambdaArnOf(integration.integrationUri);
  // The gateway looks the function up in the API's own region: a function of another region is
  // as missing as an unknown one [UNVERIFIED whether AWS ever calls across regions; we do not].
  const inApiRegion = arn && arn.split(':')[3] === request.region ? arn : undefined;
  const functionArn = inApiRegion && lambda?.functionArn(inApiRegion);
  if (!lambda || !functionArn) {
    fail(
      `integration ${integration.integrationId}: no Lambda function ${arn ?? integration.integrationUri ?? ''} in ${request.region}, the API's region`,
    );
    return gatewayError.internal(ctx);
  }
  const source = sourceArn(request);
  if (!lambda.allowsInvoke(functionArn, APIGATEWAY, source, ACCOUNT_ID)) {
    fail(
      `the resource policy of ${functionArn} does not allow ${APIGATEWAY} to invoke it for ${source}. Fix: aws lambda add-permission --function-name ${functionArn} --statement-id apigateway --action lambda:InvokeFunction --principal ${APIGATEWAY} --source-arn "${source}"`,
    );
    return gatewayError.internal(ctx);
  }
  const event = integration.payloadFormatVersion === '1.0' ? eventV1(request) : eventV2(request);
  // The integration timeout is the gateway's own clock: past it the client gets 503 while the
  // function runs on (as on AWS). A function that hits its own timeout first is a function
  // error (500), whatever the invoke reports beside `functionError`.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), integration.timeoutInMillis);
  });
  const invocation = lambda.invoke({
    functionArn,
    payload: Buffer.from(JSON.stringify(event)),
    invocationType: 'RequestResponse',
  });
  let result: Awaited<typeof invocation> | 'timeout';
  try {
    result = await Promise.race([invocation, timeout]);
  } catch (err) {
    fail(`invoking ${functionArn} failed: ${err instanceof Error ? err.message : String(err)}`);
    // An event over Lambda's 6 MB synchronous limit (a binary body is base64 in the event, so a
    // file of about 4.7 MB): clients report 413 [COMMUNITY; REST APIs say `Request Too Long`;
    // the HTTP API's body text is UNVERIFIED].
    if (err instanceof AwsError && err.status === 413) return gatewayError.tooLarge(ctx);
    return gatewayError.internal(ctx);
  } finally {
    clearTimeout(timer);
  }
  if (result === 'timeout') {
    invocation.catch(() => undefined);
    fail(`the integration timed out after ${integration.timeoutInMillis} ms`);
    return gatewayError.unavailable(ctx);
  }
  if (result.functionError) {
    fail(`the function failed (${result.functionError}): ${result.payload.toString('utf8').slice(0, 500)}`);
    return gatewayError.internal(ctx);
  }
  if (result.timedOut) {
    fail(`the integration timed out after ${integration.timeoutInMillis} ms`);
    return gatewayError.unavailable(ctx);
  }
  let mapped;
  try {
    mapped = mapLambdaResult(result.payload, integration.payloadFormatVersion);
  } catch (err) {
    if (!(err instanceof MalformedResponse)) throw err;
    fail(`malformed Lambda proxy response: ${err.message}`);
    return gatewayError.internal(ctx);
  }
  for (const [name, values] of Object.entries(mapped.headers)) {
    if (stripCors && isCorsHeader(name)) continue;
    // The gateway's `vary: origin` (ctx.extraHeaders) joins the function's own vary.
    if (name === 'vary' && ctx.extraHeaders['vary'])
      ctx.extraHeaders['vary'] = `${values.join(', ')}, origin`;
    else ctx.res.setHeader(name, values.length === 1 ? values[0]! : values);
  }
  ctx.send(mapped.status, {}, mapped.body);
}
