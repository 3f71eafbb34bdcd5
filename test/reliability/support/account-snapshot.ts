import {
  ApiGatewayV2Client,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import {
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
} from '@aws-sdk/client-lambda';
import {
  GetBucketCorsCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { ROOT_CREDENTIALS } from './solution-stack.ts';

/** Everything a check run could change in the account, as plain JSON (SDK `$metadata` removed). */
export type AccountSnapshot = Record<string, unknown>;

const plain = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === '$metadata' ? undefined : v)));

/** The answer, or the error code when AWS refused (e.g. `NoSuchCORSConfiguration`). */
async function read<T>(call: Promise<T>): Promise<unknown> {
  try {
    return plain(await call);
  } catch (err) {
    const e = err as { name?: string; $metadata?: unknown };
    if (e.$metadata) return { error: e.name };
    throw err;
  }
}

/**
 * Reads every bucket (CORS, notifications, public access block, tags, every object with its
 * ETag, size and date), function (configuration, resource policy, tags), role (trust, inline
 * and attached policies), customer policy, and HTTP API (CORS, routes, integrations, stages).
 */
export async function snapshotAccount(endpoint: string): Promise<AccountSnapshot> {
  const base = { endpoint, region: 'us-east-1', credentials: ROOT_CREDENTIALS };
  const s3 = new S3Client({ ...base, forcePathStyle: true });
  const lambda = new LambdaClient(base);
  const iam = new IAMClient(base);
  const apigw = new ApiGatewayV2Client(base);
  try {
    const snapshot: AccountSnapshot = {};
    for (const { Name: Bucket } of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
      const objects: unknown[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket, ...(token ? { ContinuationToken: token } : {}) }),
        );
        objects.push(
          ...(page.Contents ?? []).map(({ Key, ETag, Size, LastModified }) => ({
            Key,
            ETag,
            Size,
            LastModified,
          })),
        );
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      snapshot[`s3:${Bucket}`] = {
        cors: await read(s3.send(new GetBucketCorsCommand({ Bucket }))),
        notification: await read(s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }))),
        publicAccessBlock: await read(s3.send(new GetPublicAccessBlockCommand({ Bucket }))),
        tags: await read(s3.send(new GetBucketTaggingCommand({ Bucket }))),
        objects: plain(objects),
      };
    }
    for (const fn of (await lambda.send(new ListFunctionsCommand({}))).Functions ?? []) {
      const FunctionName = fn.FunctionName!;
      snapshot[`lambda:${FunctionName}`] = {
        configuration: await read(lambda.send(new GetFunctionConfigurationCommand({ FunctionName }))),
        policy: await read(lambda.send(new GetPolicyCommand({ FunctionName }))),
        tags: await read(lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn! }))),
      };
    }
    for (const role of (await iam.send(new ListRolesCommand({}))).Roles ?? []) {
      const RoleName = role.RoleName!;
      const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? [];
      snapshot[`iam:role/${RoleName}`] = {
        role: await read(iam.send(new GetRoleCommand({ RoleName }))),
        inline: await Promise.all(
          inline.map((PolicyName) => read(iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })))),
        ),
        attached: await read(iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))),
      };
    }
    snapshot['iam:policies'] = await read(iam.send(new ListPoliciesCommand({ Scope: 'Local' })));
    for (const api of (await apigw.send(new GetApisCommand({}))).Items ?? []) {
      const ApiId = api.ApiId!;
      snapshot[`apigatewayv2:${ApiId}`] = {
        api: plain(api),
        routes: await read(apigw.send(new GetRoutesCommand({ ApiId }))),
        integrations: await read(apigw.send(new GetIntegrationsCommand({ ApiId }))),
        stages: await read(apigw.send(new GetStagesCommand({ ApiId }))),
      };
    }
    return snapshot;
  } finally {
    for (const client of [s3, lambda, iam, apigw]) client.destroy();
  }
}

/** How many things a snapshot holds (resources, and objects in buckets): the "cases" compared. */
export function snapshotSize(snapshot: AccountSnapshot): number {
  return Object.values(snapshot).reduce<number>((n, entry) => {
    const objects = (entry as { objects?: unknown[] }).objects;
    return n + 1 + (Array.isArray(objects) ? objects.length : 0);
  }, 0);
}
