import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';

export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where the checker talks to: real AWS (no endpoint) or any AWS-compatible endpoint. */
export interface AwsTarget {
  region: string;
  endpoint?: string;
  profile?: string;
  credentials?: AwsCredentialIdentity;
}

export interface AwsClients {
  s3: S3Client;
  lambda: LambdaClient;
  apigw: ApiGatewayV2Client;
  /** IAM is loaded on first use: only put-permission needs it, and loading it costs startup time. */
  iam(): Promise<IAMClient>;
  target: AwsTarget;
  /** Closes the clients' connections. */
  destroy(): void;
}

export const LOCAL_ENDPOINT = 'http://localhost:4566';
export const LOCAL_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'test', secretAccessKey: 'test' };

/** One client per service, built once per run from the same region, profile, endpoint and credentials. */
export function createClients(target: AwsTarget): AwsClients {
  const base = {
    region: target.region,
    maxAttempts: 2,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
  };
  let iam: Promise<IAMClient> | undefined;
  const s3 = new S3Client({ ...base, forcePathStyle: Boolean(target.endpoint) });
  const lambda = new LambdaClient(base);
  const apigw = new ApiGatewayV2Client(base);
  return {
    // Path-style against an endpoint: `*.localhost` names do not resolve in Node.
    s3,
    lambda,
    apigw,
    iam: () => (iam ??= import('@aws-sdk/client-iam').then(({ IAMClient }) => new IAMClient(base))),
    target,
    destroy() {
      for (const c of [s3, lambda, apigw]) c.destroy();
      iam?.then(
        (c) => c.destroy(),
        () => undefined,
      );
    },
  };
}

export function destroyClients(clients: AwsClients): void {
  clients.destroy();
}

/** The URL a browser POSTs an upload to, as createPresignedPost builds it for this client. */
export function bucketUrl(target: AwsTarget, bucket: string): string {
  if (target.endpoint) return `${target.endpoint.replace(/\/$/, '')}/${bucket}`;
  return `https://${bucket}.s3.${target.region}.amazonaws.com`;
}

/** The AWS error code of an SDK exception (`name`), or undefined for anything else. */
export function awsErrorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && '$metadata' in err && 'name' in err) return String(err.name);
  return undefined;
}

export function isAwsError(err: unknown, ...codes: string[]): boolean {
  const c = awsErrorCode(err);
  return c !== undefined && codes.includes(c);
}
