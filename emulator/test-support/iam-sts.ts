import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { clientConfig, ROOT_CREDENTIALS, type TestCredentials } from './clients.ts';

export const iamClient = (
  url: string,
  credentials: TestCredentials = ROOT_CREDENTIALS,
  extra: Partial<IAMClientConfig> = {},
): IAMClient => new IAMClient({ ...clientConfig(url, credentials), ...extra });

export const stsClient = (
  url: string,
  credentials: TestCredentials = ROOT_CREDENTIALS,
  extra: Partial<STSClientConfig> = {},
): STSClient => new STSClient({ ...clientConfig(url, credentials), ...extra });

/** Temporary credentials from an STS answer, in the shape SDK clients take. */
export function sessionCredentials(out: {
  Credentials?:
    | {
        AccessKeyId?: string | undefined;
        SecretAccessKey?: string | undefined;
        SessionToken?: string | undefined;
      }
    | undefined;
}): TestCredentials {
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new Error('no credentials in the answer');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

export interface AwsFailure {
  /** The wire code (`NoSuchEntity`), not the SDK's class name (`NoSuchEntityException`). */
  code: string;
  status: number | undefined;
  message: string;
}

/** Awaits a call that must fail and returns its AWS error; a success fails the test. */
export async function awsFailure(promise: Promise<unknown>): Promise<AwsFailure> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (err) {
    const e = err as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.Code ?? e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error(`expected the call to fail, it answered ${JSON.stringify(outcome)}`);
}
