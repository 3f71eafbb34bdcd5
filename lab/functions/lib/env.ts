/** Environment variables as Lambda passes them. */
export type Env = Record<string, string | undefined>;

/** The function's environment is wrong: a deployment mistake, answered as a 500 with code `CONFIG`. */
export class ConfigError extends Error {
  readonly code = 'CONFIG';

  constructor(message: string) {
    super(`CONFIG: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Where the AWS SDK sends its requests: the function's region and, locally, an endpoint override. */
export interface AwsTarget {
  region: string;
  /** `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`; absent on real AWS. */
  endpoint?: string;
}

export function requiredVar(env: Env, name: string, fix: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set. ${fix}`);
  return value;
}

export function optionalVar(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value ? value : fallback;
}

export function positiveIntVar(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new ConfigError(`${name} must be a positive whole number, got "${raw}".`);
  }
  return Number(raw);
}

/** A key prefix must end with `/` so that `incoming` never matches `incoming-old/…`. */
export function prefixVar(env: Env, name: string, fallback: string): string {
  const value = optionalVar(env, name, fallback);
  if (!value.endsWith('/') || value.startsWith('/')) {
    throw new ConfigError(`${name} must end with "/" and not start with one, got "${value}".`);
  }
  return value;
}

/** Lambda always sets `AWS_REGION`; the fallback only serves local runs. */
export function awsTarget(env: Env): AwsTarget {
  const region = optionalVar(env, 'AWS_REGION', optionalVar(env, 'AWS_DEFAULT_REGION', 'us-east-1'));
  const endpoint = env.AWS_ENDPOINT_URL_S3?.trim() || env.AWS_ENDPOINT_URL?.trim();
  return endpoint ? { region, endpoint } : { region };
}

/**
 * Reads the configuration once per container. A failure is remembered too, so every request
 * gets the same clear error instead of a half-configured function.
 */
export function once<T>(read: () => T): () => T {
  let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  return () => {
    if (!result) {
      try {
        result = { ok: true, value: read() };
      } catch (error) {
        result = { ok: false, error };
      }
    }
    if (result.ok) return result.value;
    throw result.error;
  };
}
