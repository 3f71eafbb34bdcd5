import { lambdaErrors } from './errors.ts';

/** Runtimes AWS accepts for new functions; the local AWS executes the nodejs and python ones. */
export const RUNTIMES = [
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x',
  'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14',
  'java11', 'java17', 'java21', 'java25', 'dotnet8', 'dotnet10', 'ruby3.2', 'ruby3.3', 'ruby3.4',
  'provided.al2', 'provided.al2023',
]; // prettier-ignore

/** Runtimes past deprecation: AWS refuses them for create and update, naming a successor. */
const DEPRECATED: Record<string, string> = {
  nodejs: 'nodejs22.x', 'nodejs4.3': 'nodejs22.x', 'nodejs6.10': 'nodejs22.x', 'nodejs8.10': 'nodejs22.x',
  'nodejs10.x': 'nodejs22.x', 'nodejs12.x': 'nodejs22.x', 'nodejs14.x': 'nodejs22.x', 'nodejs16.x': 'nodejs22.x',
  'python2.7': 'python3.13', 'python3.6': 'python3.13', 'python3.7': 'python3.13', 'python3.8': 'python3.13',
  java8: 'java21', 'java8.al2': 'java21', 'go1.x': 'provided.al2023', provided: 'provided.al2023',
  'ruby2.5': 'ruby3.3', 'ruby2.7': 'ruby3.3', 'dotnetcore3.1': 'dotnet8', dotnet6: 'dotnet8',
}; // prettier-ignore

/** Variables the Lambda service sets itself (reserved keys). */
const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]); // prettier-ignore

const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const VARIABLE_NAME = /^[a-zA-Z]([a-zA-Z0-9_])+$/;

/** The configuration members CreateFunction and UpdateFunctionConfiguration share. */
export interface ConfigInput {
  Runtime?: unknown;
  Role?: unknown;
  Handler?: unknown;
  Description?: unknown;
  Timeout?: unknown;
  MemorySize?: unknown;
  Environment?: unknown;
  Architectures?: unknown;
  EphemeralStorage?: unknown;
}

/** The same members, checked. */
export interface ConfigChange {
  runtime?: string;
  role?: string;
  handler?: string;
  description?: string;
  timeout?: number;
  memorySize?: number;
  environment?: Record<string, string>;
  architectures?: string[];
  ephemeralStorage?: number;
}

const constraint = (value: unknown, member: string, rule: string) =>
  `Value '${typeof value === 'string' ? value : JSON.stringify(value)}' at '${member}' failed to satisfy constraint: ${rule}`;

/**
 * Checks configuration members the way Lambda's model does (ValidationException listing every
 * finding), then its own rules (InvalidParameterValueException).
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
 */
export function checkConfig(input: ConfigInput): ConfigChange {
  const out: ConfigChange = {};
  const findings: string[] = [];
  const range = (value: unknown, member: string, min: number, max: number): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      findings.push(constraint(value, member, 'Member must be an integer'));
      return undefined;
    }
    if (value < min)
      findings.push(constraint(value, member, `Member must have value greater than or equal to ${min}`));
    if (value > max)
      findings.push(constraint(value, member, `Member must have value less than or equal to ${max}`));
    return value;
  };
  const timeout = range(input.Timeout, 'timeout', 1, 900);
  const memory = range(input.MemorySize, 'memorySize', 128, 10240);
  const storage = range(
    (input.EphemeralStorage as { Size?: unknown } | undefined)?.Size,
    'ephemeralStorage.size',
    512,
    10240,
  );
  if (
    input.Runtime !== undefined &&
    !(typeof input.Runtime === 'string' && (RUNTIMES.includes(input.Runtime) || input.Runtime in DEPRECATED))
  )
    findings.push(
      constraint(input.Runtime, 'runtime', `Member must satisfy enum value set: [${RUNTIMES.join(', ')}]`),
    );
  if (input.Role !== undefined && !(typeof input.Role === 'string' && ROLE.test(input.Role)))
    findings.push(
      constraint(
        input.Role,
        'role',
        `Member must satisfy regular expression pattern: ${ROLE.source.slice(1, -1)}`,
      ),
    );
  if (
    input.Handler !== undefined &&
    !(typeof input.Handler === 'string' && /^[^\s]+$/.test(input.Handler) && input.Handler.length <= 128)
  )
    findings.push(
      constraint(input.Handler, 'handler', 'Member must satisfy regular expression pattern: [^\\s]+'),
    );
  if (
    input.Description !== undefined &&
    !(typeof input.Description === 'string' && input.Description.length <= 256)
  )
    findings.push(
      constraint(input.Description, 'description', 'Member must have length less than or equal to 256'),
    );
  const arch = input.Architectures;
  if (
    arch !== undefined &&
    !(Array.isArray(arch) && arch.length === 1 && (arch[0] === 'x86_64' || arch[0] === 'arm64'))
  )
    findings.push(
      constraint(
        arch,
        'architectures',
        'Member must have length less than or equal to 1, Member must satisfy enum value set: [x86_64, arm64]',
      ),
    );
  if (findings.length) throw lambdaErrors.validation(findings);

  if (typeof input.Runtime === 'string') {
    const successor = DEPRECATED[input.Runtime];
    if (successor)
      throw lambdaErrors.invalidParameter(
        `The runtime parameter of ${input.Runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (${successor}) while creating or updating functions.`,
      );
    out.runtime = input.Runtime;
  }
  if (typeof input.Role === 'string') out.role = input.Role;
  if (typeof input.Handler === 'string') out.handler = input.Handler;
  if (typeof input.Description === 'string') out.description = input.Description;
  if (timeout !== undefined) out.timeout = timeout;
  if (memory !== undefined) out.memorySize = memory;
  if (storage !== undefined) out.ephemeralStorage = storage;
  if (Array.isArray(arch)) out.architectures = arch as string[];
  if (input.Environment !== undefined) out.environment = checkEnvironment(input.Environment);
  return out;
}

/** Environment variables: names, reserved keys, and the 4 KB limit on their JSON. */
function checkEnvironment(env: unknown): Record<string, string> {
  const variables = (env as { Variables?: unknown } | null)?.Variables ?? {};
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables))
    throw lambdaErrors.validation([constraint(variables, 'environment.variables', 'Member must be a map')]);
  const out: Record<string, string> = {};
  const reserved: string[] = [];
  for (const [name, value] of Object.entries(variables as Record<string, unknown>)) {
    if (!VARIABLE_NAME.test(name))
      throw lambdaErrors.validation([
        constraint(
          name,
          'environment.variables',
          'Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]',
        ),
      ]);
    if (RESERVED_VARIABLES.has(name)) reserved.push(name);
    out[name] = typeof value === 'string' ? value : String(value);
  }
  if (reserved.length)
    throw lambdaErrors.invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  const measured = JSON.stringify(out);
  if (Buffer.byteLength(measured) > 4096)
    throw lambdaErrors.invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  return out;
}
