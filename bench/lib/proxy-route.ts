import path from 'node:path';
import {
  ApiGatewayV2Client,
  CreateIntegrationCommand,
  CreateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { bundleFunction } from '../../scripts/lib/bundle.ts';
import { REPO_ROOT } from './paths.ts';
import { LOCAL_CREDENTIALS, PROXY_FUNCTION, type SolutionStack } from './stack.ts';

const ACCOUNT = '000000000000';

/**
 * Adds `POST /proxy-upload` to the stack's HTTP API: a Lambda (bench/functions/proxy-upload)
 * whose role may put objects under `proxy/`, behind an AWS_PROXY integration (payload 2.0),
 * with API Gateway's invoke permission. Returns the route's URL.
 */
export async function installProxyRoute(stack: SolutionStack): Promise<string> {
  const { outputs } = stack;
  const config = { region: outputs.region, endpoint: stack.endpoint, credentials: LOCAL_CREDENTIALS };
  const iam = new IAMClient(config);
  const lambda = new LambdaClient(config);
  const apigw = new ApiGatewayV2Client(config);
  try {
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: `${PROXY_FUNCTION}-role`,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: `${PROXY_FUNCTION}-role`,
        PolicyName: 'put-proxy-uploads',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${outputs.bucket}/proxy/*` },
          ],
        }),
      }),
    );
    const bundle = await bundleFunction('proxy-upload', path.join(REPO_ROOT, 'bench', 'functions'));
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: PROXY_FUNCTION,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: role.Role!.Arn!,
        Code: { ZipFile: bundle.zip },
        Timeout: 30,
        MemorySize: 1024,
        Environment: { Variables: { UPLOAD_BUCKET: outputs.bucket } },
      }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: PROXY_FUNCTION });
    const integration = await apigw.send(
      new CreateIntegrationCommand({
        ApiId: outputs.apiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: fn.FunctionArn!,
        PayloadFormatVersion: '2.0',
      }),
    );
    await apigw.send(
      new CreateRouteCommand({
        ApiId: outputs.apiId,
        RouteKey: 'POST /proxy-upload',
        Target: `integrations/${integration.IntegrationId!}`,
      }),
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: PROXY_FUNCTION,
        StatementId: 'apigateway-post-proxy-upload',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `arn:aws:execute-api:${outputs.region}:${ACCOUNT}:${outputs.apiId}/*/*/proxy-upload`,
      }),
    );
    return `${outputs.apiEndpoint}/proxy-upload`;
  } finally {
    iam.destroy();
    lambda.destroy();
    apigw.destroy();
  }
}

/** Lets the lab's upload-ticket function sign tickets up to `maxBytes` (its MAX_UPLOAD_BYTES). */
export async function raiseTicketLimit(stack: SolutionStack, maxBytes: number): Promise<void> {
  const { outputs } = stack;
  const lambda = new LambdaClient({
    region: outputs.region,
    endpoint: stack.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const name = outputs.functions.uploadTicket;
    const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Environment: {
          Variables: { ...current.Environment?.Variables, MAX_UPLOAD_BYTES: String(maxBytes) },
        },
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
  } finally {
    lambda.destroy();
  }
}
