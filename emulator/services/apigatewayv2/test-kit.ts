import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  type Cors,
} from '@aws-sdk/client-apigatewayv2';
import { clientConfig } from '../../test-support/clients.ts';

/** Shared by this service's tests: build an HTTP API over the wire, as a student would. */

export const apigwClient = (url: string) => new ApiGatewayV2Client(clientConfig(url));

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
