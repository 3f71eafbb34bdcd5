import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
  type CreateFunctionCommandInput,
  type InvokeCommandInput,
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { clientConfig } from '../../test-support/clients.ts';

/** Shared by this service's tests: functions built, deployed and invoked over the wire. */

export const lambdaClient = (url: string) => new LambdaClient(clientConfig(url));

/** A zip of `files` (path → source text). */
export const zip = (files: Record<string, string>): Uint8Array =>
  zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** An execution role Lambda may assume, with an optional inline policy; returns its ARN. */
export async function executionRole(url: string, name: string, policy?: object): Promise<string> {
  const iam = new IAMClient(clientConfig(url));
  const role = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }));
  if (policy)
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: `${name}-inline`,
        PolicyDocument: JSON.stringify(policy),
      }),
    );
  return role.Role!.Arn!;
}

/** Creates a function from source files and waits until it is Active. */
export async function deploy(
  client: LambdaClient,
  input: { name: string; role: string; files: Record<string, string> } & Partial<CreateFunctionCommandInput>,
): Promise<void> {
  const { name, role, files, ...rest } = input;
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: role,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: { ZipFile: zip(files) },
      ...rest,
    }),
  );
  await waitUntilFunctionActiveV2(
    { client, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.5 },
    { FunctionName: name },
  );
}

export interface Invocation {
  status: number | undefined;
  functionError: string | undefined;
  /** The payload as text, and parsed when it is JSON. */
  text: string;
  body: unknown;
  /** The decoded `X-Amz-Log-Result` (Tail). */
  log: string;
  requestId: string | undefined;
}

/** Invokes synchronously with the log tail and decodes everything. */
export async function invoke(
  client: LambdaClient,
  name: string,
  event: unknown = {},
  extra: Partial<InvokeCommandInput> = {},
): Promise<Invocation> {
  const out = await client.send(
    new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event), LogType: 'Tail', ...extra }),
  );
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return {
    status: out.StatusCode,
    functionError: out.FunctionError,
    text,
    body,
    log: out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : '',
    requestId: out.$metadata.requestId,
  };
}

/** Polls `check` until it returns a value or `ms` pass (for asynchronous effects). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process with this id still exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
