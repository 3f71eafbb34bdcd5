import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { recordCalls, type CallRecord } from './calls.ts';
import type { Target } from './target.ts';

export interface Clients {
  s3: S3Client;
  iam: IAMClient;
  lambda: LambdaClient;
  apigw: ApiGatewayV2Client;
  /** Every call made through these clients, in order. */
  calls: CallRecord[];
  destroy(): void;
}

/** SDK v3 clients for one target; the same code serves real AWS and the local AWS. */
export function createClients(target: Target): Clients {
  const base = {
    region: target.region,
    credentials: target.credentials,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
  };
  const calls: CallRecord[] = [];
  // The local AWS is path-style only; `<bucket>.localhost` does not resolve for Node.
  const s3 = new S3Client({ ...base, forcePathStyle: target.endpoint !== undefined });
  const iam = new IAMClient(base);
  const lambda = new LambdaClient(base);
  const apigw = new ApiGatewayV2Client(base);
  for (const client of [s3, iam, lambda, apigw]) recordCalls(client, calls);
  return {
    s3,
    iam,
    lambda,
    apigw,
    calls,
    destroy() {
      for (const client of [s3, iam, lambda, apigw]) client.destroy();
    },
  };
}
