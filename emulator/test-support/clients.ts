import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export const ROOT_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The settings every SDK v3 client in tests uses: the emulator endpoint, us-east-1, test/test. */
export function clientConfig(url: string, credentials: TestCredentials = ROOT_CREDENTIALS) {
  return { endpoint: url, region: 'us-east-1', credentials };
}

/** A path-style S3 client for the emulator at `url`. */
export function s3Client(
  url: string,
  credentials: TestCredentials = ROOT_CREDENTIALS,
  extra: Partial<S3ClientConfig> = {},
): S3Client {
  return new S3Client({ ...clientConfig(url, credentials), forcePathStyle: true, ...extra });
}
