import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreatePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { clientConfig } from '../../../emulator/test-support/clients.ts';
import type { JsonTargets } from './templates-json.ts';
import { PUT_POLICY, TRUST_POLICY } from './templates-query.ts';

/** A function that answers every HTTP API event with 200 and the length of what it got. */
const ECHO = `export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ route: event?.routeKey ?? null, length: String(event?.body ?? '').length }),
});
`;

export const echoZip = (): Uint8Array => zipSync({ 'index.mjs': strToU8(ECHO) });

/** A role and a customer managed policy for the Query fuzz; returns the policy ARN. */
export async function createQueryTargets(url: string, role: string): Promise<string> {
  const iam = new IAMClient(clientConfig(url));
  try {
    await iam.send(
      new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify(TRUST_POLICY) }),
    );
    const policy = await iam.send(
      new CreatePolicyCommand({ PolicyName: `${role}-managed`, PolicyDocument: JSON.stringify(PUT_POLICY) }),
    );
    return policy.Policy!.Arn!;
  } finally {
    iam.destroy();
  }
}

/**
 * Functions and HTTP APIs for the JSON fuzz: an echo function behind a data-plane API with CORS
 * (`POST /echo`, `GET /items/{id}`, `$default` stage), and a scratch function and API that the
 * control-plane fuzz may change.
 */
export async function createJsonTargets(url: string, prefix: string): Promise<JsonTargets> {
  const iam = new IAMClient(clientConfig(url));
  const lambda = new LambdaClient(clientConfig(url));
  const apigw = new ApiGatewayV2Client(clientConfig(url));
  try {
    const trust = JSON.stringify(TRUST_POLICY);
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: `${prefix}-exec`, AssumeRolePolicyDocument: trust }),
    );
    const roleArn = role.Role!.Arn!;
    const zip = echoZip();
    const names = { invokeFunction: `${prefix}-echo`, scratchFunction: `${prefix}-scratch` };
    for (const FunctionName of Object.values(names)) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName,
          Role: roleArn,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: zip },
        }),
      );
      await waitUntilFunctionActiveV2(
        { client: lambda, maxWaitTime: 60, minDelay: 0.1, maxDelay: 0.5 },
        { FunctionName },
      );
    }
    const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:${names.invokeFunction}`;
    const apis: string[] = [];
    let integrationId = '';
    for (const name of [`${prefix}-data`, `${prefix}-scratch`]) {
      const api = await apigw.send(
        new CreateApiCommand({
          Name: name,
          ProtocolType: 'HTTP',
          CorsConfiguration: {
            AllowOrigins: ['http://localhost:5173'],
            AllowMethods: ['POST', 'GET'],
            AllowHeaders: ['content-type'],
            MaxAge: 300,
          },
        }),
      );
      const ApiId = api.ApiId!;
      apis.push(ApiId);
      const integration = await apigw.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: functionArn,
          PayloadFormatVersion: '2.0',
        }),
      );
      integrationId = integration.IntegrationId!;
      for (const RouteKey of ['POST /echo', 'GET /items/{id}'])
        await apigw.send(
          new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${integrationId}` }),
        );
      await apigw.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: names.invokeFunction,
          StatementId: `apigateway-${ApiId}`,
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
          SourceArn: `arn:aws:execute-api:us-east-1:000000000000:${ApiId}/*/*`,
        }),
      );
    }
    return {
      roleArn,
      ...names,
      zipBase64: Buffer.from(zip).toString('base64'),
      dataApi: apis[0]!,
      scratchApi: apis[1]!,
      integrationId,
    };
  } finally {
    iam.destroy();
    lambda.destroy();
    apigw.destroy();
  }
}
