import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  type Cors,
} from '@aws-sdk/client-apigatewayv2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { clientConfig } from '../../test-support/clients.ts';

/** Shared by this service's tests: build an HTTP API over the wire, as a student would. */

export const apigwClient = (url: string, region = 'us-east-1') =>
  new ApiGatewayV2Client({ ...clientConfig(url), region });

export interface TestApi {
  apiId: string;
  endpoint: string;
  integrationId: string;
}

/**
 * An HTTP API with one Lambda integration, the given routes pointing at it and a `$default`
 * stage that auto-deploys.
 */
export async function buildApi(
  client: ApiGatewayV2Client,
  options: {
    functionArn: string;
    routes: string[];
    cors?: Cors;
    payloadFormatVersion?: '1.0' | '2.0';
    timeoutInMillis?: number;
    stage?: string;
  },
): Promise<TestApi> {
  const api = await client.send(
    new CreateApiCommand({
      Name: 'test-api',
      ProtocolType: 'HTTP',
      ...(options.cors && { CorsConfiguration: options.cors }),
    }),
  );
  const integration = await client.send(
    new CreateIntegrationCommand({
      ApiId: api.ApiId,
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: options.functionArn,
      PayloadFormatVersion: options.payloadFormatVersion ?? '2.0',
      ...(options.timeoutInMillis !== undefined && { TimeoutInMillis: options.timeoutInMillis }),
    }),
  );
  for (const routeKey of options.routes)
    await client.send(
      new CreateRouteCommand({
        ApiId: api.ApiId,
        RouteKey: routeKey,
        Target: `integrations/${integration.IntegrationId}`,
      }),
    );
  await client.send(
    new CreateStageCommand({ ApiId: api.ApiId, StageName: options.stage ?? '$default', AutoDeploy: true }),
  );
  return { apiId: api.ApiId!, endpoint: api.ApiEndpoint!, integrationId: integration.IntegrationId! };
}

/** The response headers whose names start with `access-control-`, plus `vary`. */
export function corsHeadersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of response.headers)
    if (name.startsWith('access-control-') || name === 'vary') out[name] = value;
  return out;
}

/** The error an SDK call rejects with: name, message and HTTP status. */
export async function failure(promise: Promise<unknown>) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata: { httpStatusCode: number } } | undefined;
  if (!err) throw new Error('expected the call to fail');
  return { name: err.name, message: err.message, status: err.$metadata.httpStatusCode };
}

/** A probe function: it answers what the request asks for, so one function serves every data-plane test. */
export const PROBE_SOURCE = `
export const handler = async (event) => {
  const h = event.headers ?? {};
  if (h['x-mode'] === 'throw') throw new Error('boom');
  if (h['x-sleep-ms']) await new Promise((r) => setTimeout(r, Number(h['x-sleep-ms'])));
  if (h['x-result'] !== undefined) return JSON.parse(Buffer.from(h['x-result'], 'base64').toString('utf8'));
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) };
};
`;

/** A minimal upload-ticket function: a presigned POST for `incoming/<filename>` (needs UPLOAD_BUCKET). */
export const TICKET_SOURCE = `
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';

const s3 = new S3Client({ forcePathStyle: true });

export const handler = async (event) => {
  const { filename } = JSON.parse(event.body ?? '{}');
  const key = 'incoming/' + filename;
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: process.env.UPLOAD_BUCKET,
    Key: key,
    Conditions: [['content-length-range', 1, 10485760]],
    Expires: 300,
  });
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ upload: { url, fields }, object_key: key }),
  };
};
`;

/** The `x-result` header that makes the probe return `result` as it is. */
export const probeResult = (result: unknown) => ({
  'x-result': Buffer.from(JSON.stringify(result)).toString('base64'),
});

/**
 * Creates a Node.js function from `source` (one `index.mjs`) with a fresh execution role, waits
 * until it is Active, and returns its ARN. `permit`: add the usual API Gateway permission (for
 * any API of the function's region). `region`: where the function lives (default us-east-1).
 */
export async function deployFunction(
  url: string,
  name: string,
  source: string,
  options: {
    timeout?: number;
    environment?: Record<string, string>;
    permit?: boolean;
    region?: string;
  } = {},
): Promise<string> {
  const iam = new IAMClient(clientConfig(url));
  const region = options.region ?? 'us-east-1';
  const lambda = new LambdaClient({ ...clientConfig(url), region });
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: `${name}-${region}-role`,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: role.Role!.Arn,
      Code: { ZipFile: zipSync({ 'index.mjs': strToU8(source) }) },
      Timeout: options.timeout ?? 10,
      ...(options.environment && { Environment: { Variables: options.environment } }),
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: name });
  if (options.permit ?? true)
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: 'apigateway-invoke',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `arn:aws:execute-api:${region}:000000000000:*/*`,
      }),
    );
  return fn.FunctionArn!;
}
