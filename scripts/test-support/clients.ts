import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { TEST_CREDENTIALS } from './local-stack.ts';

/** Plain SDK clients on the local AWS, for the tests' own look at what exists. */
export function testClients(endpoint: string): {
  s3: S3Client;
  iam: IAMClient;
  lambda: LambdaClient;
  apigw: ApiGatewayV2Client;
  destroy(): void;
} {
  const base = { region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS };
  const s3 = new S3Client({ ...base, forcePathStyle: true });
  const iam = new IAMClient(base);
  const lambda = new LambdaClient(base);
  const apigw = new ApiGatewayV2Client(base);
  return { s3, iam, lambda, apigw, destroy: () => [s3, iam, lambda, apigw].forEach((c) => c.destroy()) };
}

/** Every bucket, function, role and API whose name starts with the prefix. */
export async function namesWithPrefix(
  clients: ReturnType<typeof testClients>,
  prefix: string,
): Promise<{ buckets: string[]; functions: string[]; roles: string[]; apis: string[] }> {
  const mine = (name: string | undefined): name is string => name?.startsWith(`${prefix}-`) ?? false;
  const buckets = (await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? [];
  const functions = (await clients.lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
  const roles = (await clients.iam.send(new ListRolesCommand({}))).Roles ?? [];
  const apis = (await clients.apigw.send(new GetApisCommand({}))).Items ?? [];
  return {
    buckets: buckets.map((b) => b.Name).filter(mine),
    functions: functions.map((f) => f.FunctionName).filter(mine),
    roles: roles.map((r) => r.RoleName).filter(mine),
    apis: apis.map((a) => a.Name).filter(mine),
  };
}
