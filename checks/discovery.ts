import { GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { join, resolve } from 'node:path';
import { apiIdFrom } from './args.ts';
import { LabError } from './lab-error.ts';
import { LAB_CONFIG_FILE, readLabConfig, withLabConfig } from './lab-config.ts';
import {
  awsErrorCode,
  createClients,
  LOCAL_CREDENTIALS,
  LOCAL_ENDPOINT,
  type AwsClients,
  type AwsTarget,
} from './lib/aws.ts';
import { OUTPUTS_FILE, readOutputs, type LabOutputs } from './lib/outputs.ts';
import { permissionProblem } from './permission-error.ts';
import { walkAccount } from './lib/walk.ts';
import { DEFAULT_FRONTEND_URL, DEFAULT_TIMEOUT_MS, type CheckOptions } from './options.ts';

export interface ResolvedRun {
  aws: AwsClients;
  target: LabOutputs;
  /** Where the target came from. */
  source: 'given' | 'outputs' | 'discovered';
  frontendUrl: string;
  frontendDir: string;
  timeoutMs: number;
}

/**
 * Where the page under test is and which folder to serve there: known before any network call, so
 * that the page can start loading while discovery runs.
 */
export async function frontendOf(given: CheckOptions): Promise<{ frontendUrl: string; frontendDir: string }> {
  const cwd = given.cwd ?? process.cwd();
  const env = given.env ?? process.env;
  const options = withLabConfig(given, await readLabConfig(cwd));
  const endpoint =
    given.endpoint ?? env['AWS_ENDPOINT_URL'] ?? (options.local ? LOCAL_ENDPOINT : options.endpoint);
  const outputs = given.target ?? (await readOutputs(join(cwd, OUTPUTS_FILE)));
  const usable = outputs !== undefined && (outputs.endpoint ?? undefined) === (endpoint ?? undefined);
  return {
    frontendUrl: options.frontendUrl ?? (usable ? `${outputs.frontendOrigin}/app/` : DEFAULT_FRONTEND_URL),
    frontendDir: resolve(cwd, options.frontendDir ?? 'lab/frontend'),
  };
}

/**
 * Decides what to check: flags > `lab.config.json` > `.lab/outputs.json` > walking the account.
 * Throws `LabError` (exit 2) when it cannot: no credentials, nothing found, several candidates.
 */
export async function resolveRun(given: CheckOptions): Promise<ResolvedRun> {
  const cwd = given.cwd ?? process.cwd();
  const env = given.env ?? process.env;
  const options = withLabConfig(given, await readLabConfig(cwd));
  const endpoint =
    given.endpoint ?? env['AWS_ENDPOINT_URL'] ?? (options.local ? LOCAL_ENDPOINT : options.endpoint);
  const outputs = given.target ?? (await readOutputs(join(cwd, OUTPUTS_FILE)));
  const outputsUsable = outputs !== undefined && (outputs.endpoint ?? undefined) === (endpoint ?? undefined);

  if (outputsUsable && options.region !== undefined && options.region !== outputs.region && !given.target) {
    throw new LabError(
      'LAB_BAD_REGION',
      `${OUTPUTS_FILE} says the stack is in ${outputs.region}, but the checker was asked to look in ` +
        `${options.region} (--region or ${LAB_CONFIG_FILE}). Pass --region ${outputs.region}, or deploy to ` +
        `${options.region} ("npm run deploy -- --region ${options.region}").`,
    );
  }
  const region =
    options.region ??
    (outputsUsable ? outputs.region : undefined) ??
    (options.local ? (env['AWS_REGION'] ?? 'us-east-1') : await defaultRegion(options.profile));
  const credentials =
    options.credentials ??
    (options.local && !env['AWS_ACCESS_KEY_ID'] && !options.profile ? LOCAL_CREDENTIALS : undefined);
  const awsTarget: AwsTarget = {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(credentials ? { credentials } : {}),
  };
  const aws = createClients(awsTarget);
  await Promise.all([requireCredentials(aws, outputs), endpoint ? requireEndpoint(endpoint) : undefined]);

  const { frontendUrl, frontendDir } = await frontendOf(given);
  const frontendOrigin = new URL(frontendUrl).origin;
  const apiId = options.api ? apiIdFrom(options.api) : undefined;
  const conflicts =
    outputsUsable &&
    ((apiId !== undefined && apiId !== outputs.apiId) ||
      (options.bucket !== undefined && options.bucket !== outputs.bucket) ||
      (options.function !== undefined && options.function !== outputs.functions.uploadTicket));

  let target: LabOutputs;
  let source: ResolvedRun['source'];
  if (outputsUsable && !conflicts) {
    target = { ...outputs, region, frontendOrigin };
    source = given.target ? 'given' : 'outputs';
  } else {
    target = await walkAccount(aws, {
      frontendOrigin,
      ...(apiId ? { apiId } : {}),
      ...(options.bucket ? { bucket: options.bucket } : {}),
      ...(options.function ? { function: options.function } : {}),
    }).catch((err: unknown) => {
      throw credentialProblem(err) ?? permissionProblem(err) ?? err;
    });
    source = 'discovered';
  }
  return {
    aws,
    target,
    source,
    frontendUrl,
    frontendDir,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

async function defaultRegion(profile: string | undefined): Promise<string> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  const probe = new STSClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    throw new LabError(
      'LAB_NO_REGION',
      'no AWS region configured. Pass --region R, set AWS_REGION, or run "aws configure"; or use --local.',
    );
  } finally {
    probe.destroy();
  }
}

/** Something must answer at an endpoint override; a refused connection means the local AWS is not running. */
async function requireEndpoint(endpoint: string): Promise<void> {
  try {
    const res = await fetch(endpoint, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    const hint = /localhost|127\.0\.0\.1/.test(endpoint)
      ? 'Start the local AWS with "npm run emulator", or fix AWS_ENDPOINT_URL.'
      : 'Check AWS_ENDPOINT_URL (or "endpoint" in lab.config.json).';
    throw new LabError('LAB_ENDPOINT_UNREACHABLE', `nothing answers at ${endpoint} (${code}). ${hint}`);
  }
}

async function requireCredentials(aws: AwsClients, outputs: LabOutputs | undefined): Promise<void> {
  try {
    await aws.s3.config.credentials();
  } catch {
    throw noCredentials(aws, outputs);
  }
  // Found is not valid: one cheap call, so that expired or unknown keys stop the run with one
  // coded line instead of failing every row. Only a refusal of the credentials, or of the
  // permission to read (an IAM user allowed too little), counts here.
  try {
    await aws.apigw.send(new GetApisCommand({ MaxResults: '1' }));
  } catch (err) {
    const problem = credentialProblem(err) ?? permissionProblem(err);
    if (problem) throw problem;
  }
}

function noCredentials(aws: AwsClients, outputs: LabOutputs | undefined): LabError {
  const local =
    outputs?.endpoint && !aws.target.endpoint
      ? ` (.lab/outputs.json is for the local AWS at ${outputs.endpoint}: add --local)`
      : '';
  return new LabError(
    'LAB_NO_CREDENTIALS',
    `no AWS credentials found${local}. Run "aws configure" or set AWS_PROFILE, or use --local.`,
  );
}

function credentialProblem(err: unknown): LabError | undefined {
  const code = awsErrorCode(err);
  if (
    !code ||
    !/InvalidClientTokenId|UnrecognizedClient|ExpiredToken|InvalidSignature|SignatureDoesNotMatch/.test(code)
  ) {
    return undefined;
  }
  return new LabError(
    'LAB_BAD_CREDENTIALS',
    `AWS refused the credentials (${code}: ${(err as Error).message}). Refresh them ("aws sso login", ` +
      `"aws configure") or pick another --profile.`,
  );
}
