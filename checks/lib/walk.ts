import {
  GetApiCommand,
  GetApisCommand,
  GetIntegrationCommand,
  GetRoutesCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { Api, Route } from '@aws-sdk/client-apigatewayv2';
import { GetFunctionConfigurationCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { GetBucketNotificationConfigurationCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { LabError } from '../lab-error.ts';
import { functionNameFrom, roleNameFrom } from './arn.ts';
import { isAwsError, type AwsClients } from './aws.ts';
import type { LabOutputs } from './outputs.ts';

export const UPLOAD_ROUTE = 'POST /upload-url';
export const FILES_ROUTE = 'GET /files';

export interface WalkHints {
  apiId?: string;
  bucket?: string;
  function?: string;
  frontendOrigin: string;
}

/**
 * Finds the lab's stack by walking what exists: the HTTP API with `POST /upload-url` (or `GET /files`)
 * → its integrations → the functions → their roles and buckets.
 */
export async function walkAccount(aws: AwsClients, hints: WalkHints): Promise<LabOutputs> {
  const { api, routes } = await findApi(aws, hints.apiId);
  const name = api.Name?.replace(/-api$/, '') || 'upload-lab';
  const routeFunction = (key: string) => integrationFunction(aws, api.ApiId ?? '', routes, key);
  const [uploadRouteFn, filesRouteFn] = await Promise.all([
    routeFunction(UPLOAD_ROUTE),
    routeFunction(FILES_ROUTE),
  ]);

  // The route's function when it looks like a ticket function (it has UPLOAD_BUCKET); else the
  // lab's name for it, so that a route wired to the wrong function is reported as such.
  const routeTicket = hints.function ? undefined : await firstExisting(aws, [uploadRouteFn]);
  const uploadTicket = routeTicket?.config?.Environment?.Variables?.['UPLOAD_BUCKET']
    ? routeTicket
    : await firstExisting(aws, [hints.function, `${name}-upload-ticket`, uploadRouteFn]);
  const listFiles = await firstExisting(aws, [filesRouteFn, `${name}-list-files`]);
  const bucket =
    hints.bucket ??
    uploadTicket.config?.Environment?.Variables?.['UPLOAD_BUCKET'] ??
    listFiles.config?.Environment?.Variables?.['FILES_BUCKET'] ??
    (await bucketByPrefix(aws, name));
  const metadataFn = await notificationFunction(aws, bucket);
  const fileMetadata = await firstExisting(aws, [metadataFn, `${name}-file-metadata`]);
  const env = (c: Found, key: string) => c.config?.Environment?.Variables?.[key];
  const role = (c: Found) => (c.config?.Role ? roleNameFrom(c.config.Role) : `${c.name}-role`);
  const endpoint = aws.target.endpoint;
  return {
    ...(endpoint ? { endpoint } : {}),
    region: aws.target.region,
    name,
    stage: routes.some((r) => r.RouteKey === UPLOAD_ROUTE) ? 'solution' : 'baseline',
    bucket,
    apiId: api.ApiId ?? '',
    apiEndpoint: (api.ApiEndpoint ?? '').replace(/\/$/, ''),
    functions: {
      uploadTicket: uploadTicket.name,
      fileMetadata: fileMetadata.name,
      listFiles: listFiles.name,
    },
    roles: { uploadTicket: role(uploadTicket), fileMetadata: role(fileMetadata), listFiles: role(listFiles) },
    frontendOrigin: hints.frontendOrigin,
    uploadPrefix: env(uploadTicket, 'UPLOAD_PREFIX') ?? 'incoming/',
    metadataPrefix: env(fileMetadata, 'METADATA_PREFIX') ?? env(listFiles, 'METADATA_PREFIX') ?? 'metadata/',
  };
}

async function findApi(aws: AwsClients, apiId: string | undefined): Promise<{ api: Api; routes: Route[] }> {
  if (apiId) {
    try {
      const api = (await aws.apigw.send(new GetApiCommand({ ApiId: apiId }))) as Api;
      return { api, routes: await allRoutes(aws, apiId) };
    } catch (err) {
      if (isAwsError(err, 'NotFoundException')) {
        throw new LabError(
          'LAB_NOT_FOUND',
          `no HTTP API "${apiId}" in ${where(aws)}. Check --api, or --region.`,
        );
      }
      throw err;
    }
  }
  const apis: Api[] = [];
  let token: string | undefined;
  do {
    const page = await aws.apigw.send(new GetApisCommand(token ? { NextToken: token } : {}));
    apis.push(...(page.Items ?? []).filter((a) => a.ProtocolType === 'HTTP'));
    token = page.NextToken;
  } while (token);
  const withRoutes = await Promise.all(
    apis.map(async (api) => ({ api, routes: await allRoutes(aws, api.ApiId ?? '') })),
  );
  const has = (key: string) => withRoutes.filter((a) => a.routes.some((r) => r.RouteKey === key));
  for (const key of [UPLOAD_ROUTE, FILES_ROUTE]) {
    const found = has(key);
    if (found.length === 1 && found[0]) return found[0];
    if (found.length > 1) {
      const ids = found.map((a) => a.api.ApiId).join(', ');
      throw new LabError(
        'LAB_AMBIGUOUS_API',
        `found ${found.length} HTTP APIs with ${key} (${ids}). Pass --api ID.`,
      );
    }
  }
  throw new LabError(
    'LAB_NOTHING_FOUND',
    `no HTTP API with ${UPLOAD_ROUTE} or ${FILES_ROUTE} in ${where(aws)}. Deploy the lab's stack ` +
      `("npm run deploy"), pass --api ID, or check --region / --profile.`,
  );
}

function where(aws: AwsClients): string {
  return aws.target.endpoint
    ? `${aws.target.endpoint} (${aws.target.region})`
    : `region ${aws.target.region}`;
}

async function allRoutes(aws: AwsClients, apiId: string): Promise<Route[]> {
  const routes: Route[] = [];
  let token: string | undefined;
  do {
    const page = await aws.apigw.send(
      new GetRoutesCommand({ ApiId: apiId, ...(token ? { NextToken: token } : {}) }),
    );
    routes.push(...(page.Items ?? []));
    token = page.NextToken;
  } while (token);
  return routes;
}

async function integrationFunction(aws: AwsClients, apiId: string, routes: Route[], key: string) {
  const target = routes.find((r) => r.RouteKey === key)?.Target;
  if (!target?.startsWith('integrations/')) return undefined;
  const integration = await aws.apigw
    .send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: target.slice('integrations/'.length) }))
    .catch(() => undefined);
  return integration?.IntegrationUri ? functionNameFrom(integration.IntegrationUri) : undefined;
}

interface Found {
  name: string;
  config: FunctionConfiguration | undefined;
}

/** The first candidate function that exists; else the first candidate, for the rows to report missing. */
async function firstExisting(aws: AwsClients, candidates: (string | undefined)[]): Promise<Found> {
  const names = [...new Set(candidates.filter((c): c is string => Boolean(c)))];
  const configs = await Promise.all(
    names.map((n) =>
      aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: n })).catch((err: unknown) => {
        if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
        throw err;
      }),
    ),
  );
  const i = configs.findIndex((c) => c !== undefined);
  return i >= 0 ? { name: names[i] ?? '', config: configs[i] } : { name: names[0] ?? '', config: undefined };
}

async function bucketByPrefix(aws: AwsClients, name: string): Promise<string> {
  const { Buckets = [] } = await aws.s3.send(new ListBucketsCommand({}));
  const found = Buckets.map((b) => b.Name ?? '').filter((b) => b.startsWith(`${name}-`));
  if (found.length === 1 && found[0]) return found[0];
  const why = found.length > 1 ? `found ${found.length} (${found.join(', ')})` : 'found none';
  throw new LabError(
    'LAB_AMBIGUOUS_BUCKET',
    `could not tell which bucket the lab uploads to: ${why}. Pass --bucket NAME.`,
  );
}

async function notificationFunction(aws: AwsClients, bucket: string): Promise<string | undefined> {
  const config = await aws.s3
    .send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))
    .catch(() => undefined);
  const arn = config?.LambdaFunctionConfigurations?.[0]?.LambdaFunctionArn;
  return arn ? functionNameFrom(arn) : undefined;
}
