import {
  GetApiCommand,
  GetIntegrationCommand,
  GetRoutesCommand,
  UpdateApiCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  type Cors,
  type UpdateIntegrationCommandInput,
} from '@aws-sdk/client-apigatewayv2';
import { DeleteRolePolicyCommand, GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  RemovePermissionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketCorsCommand,
  PutBucketNotificationConfigurationCommand,
  type CORSRule,
  type LambdaFunctionConfiguration,
} from '@aws-sdk/client-s3';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AwsClients } from '../lib/aws.ts';
import type { LabOutputs } from '../lib/outputs.ts';

/** What a mutation works on: the deployed solution, through the SDK, and the served frontend folder. */
export interface MutationEnv {
  aws: AwsClients;
  outputs: LabOutputs;
  frontendDir: string;
}

export type Revert = () => Promise<void>;

export async function editApiCors(env: MutationEnv, change: (cors: Cors) => Cors): Promise<Revert> {
  const { apigw } = env.aws;
  const api = await apigw.send(new GetApiCommand({ ApiId: env.outputs.apiId }));
  const saved = api.CorsConfiguration ?? {};
  await apigw.send(
    new UpdateApiCommand({ ApiId: env.outputs.apiId, CorsConfiguration: change(structuredClone(saved)) }),
  );
  return async () => {
    await apigw.send(new UpdateApiCommand({ ApiId: env.outputs.apiId, CorsConfiguration: saved }));
  };
}

export async function editBucketCors(
  env: MutationEnv,
  change: (rules: CORSRule[]) => CORSRule[] | undefined,
): Promise<Revert> {
  const { s3 } = env.aws;
  const Bucket = env.outputs.bucket;
  const saved = (await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules ?? [];
  const next = change(structuredClone(saved));
  if (next) await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: next } }));
  else await s3.send(new DeleteBucketCorsCommand({ Bucket }));
  return async () => {
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: saved } }));
  };
}

async function functionSettled(env: MutationEnv, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const c = await env.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    if (c.LastUpdateStatus !== 'InProgress' && c.State !== 'Pending') return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function editTicketEnv(
  env: MutationEnv,
  change: (vars: Record<string, string>) => Record<string, string>,
): Promise<Revert> {
  const FunctionName = env.outputs.functions.uploadTicket;
  const { lambda } = env.aws;
  const saved =
    (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }))).Environment?.Variables ?? {};
  await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName,
      Environment: { Variables: change({ ...saved }) },
    }),
  );
  await functionSettled(env, FunctionName);
  return async () => {
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName, Environment: { Variables: saved } }),
    );
    await functionSettled(env, FunctionName);
  };
}

export async function editTicketHandler(env: MutationEnv, handler: string): Promise<Revert> {
  const FunctionName = env.outputs.functions.uploadTicket;
  const { lambda } = env.aws;
  const saved =
    (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }))).Handler ?? 'index.handler';
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, Handler: handler }));
  await functionSettled(env, FunctionName);
  return async () => {
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, Handler: saved }));
    await functionSettled(env, FunctionName);
  };
}

/** Replaces the ticket function's code; the revert deploys the solution's code again. */
export async function replaceTicketCode(
  env: MutationEnv,
  zip: Uint8Array,
  original: () => Promise<Uint8Array>,
): Promise<Revert> {
  const FunctionName = env.outputs.functions.uploadTicket;
  await env.aws.lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ZipFile: zip }));
  await functionSettled(env, FunctionName);
  return async () => {
    await env.aws.lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ZipFile: await original() }));
    await functionSettled(env, FunctionName);
  };
}

/** Rewrites (or, with `undefined`, deletes) the ticket role's inline `…-upload-ticket-put` policy. */
export async function editPutPolicy(env: MutationEnv, document: object | undefined): Promise<Revert> {
  const RoleName = env.outputs.roles.uploadTicket;
  const PolicyName = `${env.outputs.name}-upload-ticket-put`;
  const iam = await env.aws.iam();
  const raw = (await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument ?? '{}';
  const saved = raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw);
  if (document)
    await iam.send(
      new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: JSON.stringify(document) }),
    );
  else await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }));
  return async () => {
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: saved }));
  };
}

async function uploadRoute(env: MutationEnv) {
  const routes = await env.aws.apigw.send(new GetRoutesCommand({ ApiId: env.outputs.apiId }));
  const route = routes.Items?.find((r) => r.RouteKey === 'POST /upload-url');
  if (!route?.RouteId) throw new Error('the deployed solution has no POST /upload-url');
  return route;
}

export async function editRouteKey(env: MutationEnv, routeKey: string): Promise<Revert> {
  const { RouteId } = await uploadRoute(env);
  const ApiId = env.outputs.apiId;
  await env.aws.apigw.send(new UpdateRouteCommand({ ApiId, RouteId, RouteKey: routeKey }));
  return async () => {
    await env.aws.apigw.send(new UpdateRouteCommand({ ApiId, RouteId, RouteKey: 'POST /upload-url' }));
  };
}

export async function editIntegration(
  env: MutationEnv,
  change: Omit<UpdateIntegrationCommandInput, 'ApiId' | 'IntegrationId'>,
): Promise<Revert> {
  const ApiId = env.outputs.apiId;
  const IntegrationId = (await uploadRoute(env)).Target?.replace('integrations/', '') ?? '';
  const saved = await env.aws.apigw.send(new GetIntegrationCommand({ ApiId, IntegrationId }));
  await env.aws.apigw.send(new UpdateIntegrationCommand({ ApiId, IntegrationId, ...change }));
  return async () => {
    await env.aws.apigw.send(
      new UpdateIntegrationCommand({
        ApiId,
        IntegrationId,
        ...(saved.IntegrationUri ? { IntegrationUri: saved.IntegrationUri } : {}),
        ...(saved.PayloadFormatVersion ? { PayloadFormatVersion: saved.PayloadFormatVersion } : {}),
      }),
    );
  };
}

/** Removes the statement that lets API Gateway invoke the ticket function; the revert adds it back. */
export async function removeApiInvokePermission(env: MutationEnv): Promise<Revert> {
  const FunctionName = env.outputs.functions.uploadTicket;
  const { lambda } = env.aws;
  const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName }))).Policy ?? '{}') as {
    Statement: {
      Sid: string;
      Principal?: { Service?: string };
      Condition?: { ArnLike?: Record<string, string> };
    }[];
  };
  const statement = policy.Statement.find((s) => s.Principal?.Service === 'apigateway.amazonaws.com');
  if (!statement) throw new Error('the deployed solution has no API Gateway invoke permission');
  const sourceArn = Object.values(statement.Condition?.ArnLike ?? {})[0];
  await lambda.send(new RemovePermissionCommand({ FunctionName, StatementId: statement.Sid }));
  return async () => {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName,
        StatementId: statement.Sid,
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        ...(sourceArn ? { SourceArn: sourceArn } : {}),
      }),
    );
  };
}

export async function editNotification(
  env: MutationEnv,
  change: (c: LambdaFunctionConfiguration) => LambdaFunctionConfiguration,
): Promise<Revert> {
  const Bucket = env.outputs.bucket;
  const { s3 } = env.aws;
  const saved = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
  const configs = saved.LambdaFunctionConfigurations ?? [];
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: configs.map((c) => change(structuredClone(c))),
      },
    }),
  );
  return async () => {
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: { LambdaFunctionConfigurations: configs },
      }),
    );
  };
}

export async function editFrontendFile(
  env: MutationEnv,
  file: string,
  change: (text: string) => string,
): Promise<Revert> {
  const path = join(env.frontendDir, file);
  const saved = await readFile(path, 'utf8');
  const next = change(saved);
  if (next === saved) throw new Error(`the mutation changed nothing in ${file}`);
  await writeFile(path, next);
  return () => writeFile(path, saved);
}
