import { S3Client } from '@aws-sdk/client-s3';
import type { AwsTarget } from './env.ts';

/**
 * An S3 client for the function's region. With an endpoint override (the local AWS) requests and
 * presigned URLs are path-style (`http://localhost:4566/<bucket>`), because `<bucket>.localhost`
 * does not resolve for Node; on AWS the URLs stay virtual-hosted.
 * The SDK also reads `AWS_ENDPOINT_URL(_S3)` by itself; passing it keeps the choice in one place.
 */
export function createS3Client(target: AwsTarget): S3Client {
  return new S3Client(
    target.endpoint
      ? { region: target.region, endpoint: target.endpoint, forcePathStyle: true }
      : { region: target.region },
  );
}

/** A client per configuration, made on first use: one per container, not one per request. */
export function s3ClientCache(): (target: AwsTarget) => S3Client {
  let cached: { target: AwsTarget; client: S3Client } | undefined;
  return (target) => {
    if (cached?.target !== target) cached = { target, client: createS3Client(target) };
    return cached.client;
  };
}
