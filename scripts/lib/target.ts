import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { toLabError } from './aws-errors.ts';
import { LabError, usageError } from './errors.ts';
import { recordCalls } from './calls.ts';

export const LOCAL_ENDPOINT = 'http://localhost:4566';
export const LOCAL_REGION = 'us-east-1';
/** Static keys, as the local AWS and tests use them. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
export type Credentials = NonNullable<STSClientConfig['credentials']>;

const LOCAL_CREDENTIALS: StaticCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Where the scripts send their AWS calls: real AWS, the local AWS, or any endpoint. */
export interface TargetOptions {
  /** The local AWS at `http://localhost:4566` (credentials test/test unless the environment sets others). */
  local?: boolean;
  /** Any AWS-compatible endpoint; wins over `local`. Tests pass their emulator's URL here. */
  endpoint?: string;
  region?: string;
  /** A profile from ~/.aws/config for credentials and region (real AWS). */
  profile?: string;
  credentials?: StaticCredentials;
}

export interface Target {
  region: string;
  /** The endpoint override; undefined on real AWS. */
  endpoint: string | undefined;
  credentials: Credentials;
  account: string;
  partition: string;
  callerArn: string;
}

/** Picks endpoint, region and credentials, then asks STS who we are (which also proves the credentials work). */
export async function resolveTarget(
  opts: TargetOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Target> {
  const endpoint = normalizeEndpoint(opts.endpoint ?? (opts.local ? LOCAL_ENDPOINT : env.AWS_ENDPOINT_URL));
  const region = endpoint ? (opts.region ?? LOCAL_REGION) : await awsRegion(opts);
  if (!REGION_PATTERN.test(region)) {
    throw new LabError(
      'LAB_BAD_REGION',
      `"${region}" is not an AWS region name. Pass one like --region us-east-1 or eu-west-1.`,
    );
  }
  const credentials = opts.credentials ?? (endpoint ? endpointCredentials(env) : await awsCredentials(opts));
  const sts = new STSClient({ region, credentials, ...(endpoint ? { endpoint } : {}) });
  recordCalls(sts, []);
  try {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    const callerArn = me.Arn ?? '';
    return {
      region,
      endpoint,
      credentials,
      account: me.Account ?? '',
      partition: callerArn.split(':')[1] ?? 'aws',
      callerArn,
    };
  } catch (err) {
    throw toLabError(err, { endpoint, region });
  } finally {
    sts.destroy();
  }
}

function normalizeEndpoint(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url.href.replace(/\/+$/, '');
  } catch {
    throw usageError(`"${raw}" is not an endpoint URL like http://localhost:4566.`);
  }
}

/** The local AWS accepts test/test; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY override it. */
function endpointCredentials(env: NodeJS.ProcessEnv): StaticCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!accessKeyId || !secretAccessKey) return LOCAL_CREDENTIALS;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

async function awsRegion(opts: TargetOptions): Promise<string> {
  if (opts.region) return opts.region;
  const probe = new STSClient(opts.profile ? { profile: opts.profile } : {});
  try {
    return await probe.config.region();
  } catch {
    throw new LabError(
      'LAB_BAD_REGION',
      'no AWS region configured. Pass --region us-east-1 (or your region), set AWS_REGION, or set one in your profile.',
    );
  } finally {
    probe.destroy();
  }
}

async function awsCredentials(opts: TargetOptions): Promise<Credentials> {
  const provider = fromNodeProviderChain(opts.profile ? { profile: opts.profile } : {});
  try {
    await provider();
  } catch (err) {
    const which = opts.profile ? ` for profile "${opts.profile}"` : '';
    throw new LabError(
      'LAB_NO_CREDENTIALS',
      `no AWS credentials found${which}. Run "aws configure" or set AWS_PROFILE, or use --local.`,
      { cause: err },
    );
  }
  return provider;
}
