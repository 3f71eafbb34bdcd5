import { randomBytes } from 'node:crypto';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionRecord } from '../../../auth/credentials.ts';
import { RUNTIME_NODE_MODULES } from '../code.ts';
import type { FunctionRecord } from '../model.ts';
import type { ErrorPayload } from './protocol.ts';
import { findPython } from './python-finder.ts';
import type { LaunchSpec } from './runtime-process.ts';

const NODE_BOOTSTRAP = fileURLToPath(new URL('./node/bootstrap.mjs', import.meta.url));
const PYTHON_DIR = fileURLToPath(new URL('./python', import.meta.url));
const PYTHON_BOOTSTRAP = fileURLToPath(new URL('./python/bootstrap.py', import.meta.url));

export interface LaunchInput {
  record: FunctionRecord;
  taskDir: string;
  /** The local AWS's URL, e.g. `http://localhost:4566`: the functions' AWS_ENDPOINT_URL. */
  endpoint: string;
  credentials: SessionRecord | undefined;
}

/**
 * AWS gives the init phase 10 s, then retries a failed init within the invocation's own timeout;
 * the local AWS allows the sum at once.
 */
const initLimitMs = (record: FunctionRecord) => 10_000 + record.timeout * 1000;

/** `2024/01/01/[$LATEST]<32 hex>`, one per execution environment as on AWS. */
export const logStreamName = (): string =>
  `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;

/**
 * How to start an execution environment for the function's runtime, with the environment
 * variables Lambda sets (aws-behavior.md §5.4) plus AWS_ENDPOINT_URL; or, when the runtime
 * cannot run on this machine, the error every invocation then returns.
 */
export async function launchSpec(input: LaunchInput): Promise<LaunchSpec | ErrorPayload> {
  const { record } = input;
  const env = baseEnvironment(input);
  if (record.runtime.startsWith('nodejs')) {
    const oldSpace = record.memorySize - Math.floor(record.memorySize / 25);
    env['NODE_PATH'] = [`${RUNTIME_NODE_MODULES}`, input.taskDir].join(delimiter);
    return {
      command: process.execPath,
      args: ['--expose-gc', `--max-old-space-size=${oldSpace}`, NODE_BOOTSTRAP],
      env: { ...env, ...record.environment },
      cwd: input.taskDir,
      initLimitMs: initLimitMs(record),
    };
  }
  if (record.runtime.startsWith('python')) {
    const python = await findPython();
    if (!python.ok)
      return {
        errorType: 'Runtime.Unavailable',
        errorMessage:
          `LAB_PYTHON_MISSING: the ${record.runtime} runtime needs a python3 that can import boto3, and none was found ` +
          `(${python.reasons.join('; ')}). Install one (Debian/Ubuntu: "apt-get install python3-boto3", ` +
          `or "pip install boto3"), or set EMULATOR_PYTHON to its path.`,
      };
    env['PYTHONPATH'] = [input.taskDir, PYTHON_DIR].join(delimiter);
    env['PYTHONDONTWRITEBYTECODE'] = '1';
    env['PYTHONUNBUFFERED'] = '1';
    return {
      command: python.command,
      args: [PYTHON_BOOTSTRAP],
      env: { ...env, ...record.environment },
      cwd: input.taskDir,
      initLimitMs: initLimitMs(record),
    };
  }
  return {
    errorType: 'Runtime.Unavailable',
    errorMessage: `LAB_RUNTIME_UNSUPPORTED: the local AWS runs nodejs and python functions only; ${record.runtime} is not emulated. Use nodejs20.x or python3.12.`,
  };
}

function baseEnvironment(input: LaunchInput): Record<string, string> {
  const { record, credentials } = input;
  return {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    ...(process.env['LD_LIBRARY_PATH'] ? { LD_LIBRARY_PATH: process.env['LD_LIBRARY_PATH'] } : {}),
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    _HANDLER: record.handler,
    AWS_REGION: record.region,
    AWS_DEFAULT_REGION: record.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${record.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: record.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(record.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${record.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    LAMBDA_TASK_ROOT: input.taskDir,
    LAMBDA_RUNTIME_DIR: record.runtime.startsWith('python')
      ? PYTHON_DIR
      : fileURLToPath(new URL('./node', import.meta.url)),
    ...(credentials
      ? {
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_SESSION_TOKEN: credentials.sessionToken,
        }
      : {}),
    // Not set on AWS: where the local AWS is, and no shared config files of this machine.
    AWS_ENDPOINT_URL: input.endpoint,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}
