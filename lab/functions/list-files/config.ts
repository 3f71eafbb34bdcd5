import { awsTarget, once, prefixVar, requiredVar } from '../lib/env.ts';
import type { AwsTarget, Env } from '../lib/env.ts';

export interface ListConfig extends AwsTarget {
  bucket: string;
  metadataPrefix: string;
}

/** Reads and checks the list-files function's environment; throws `ConfigError` when it is wrong. */
export function readListConfig(env: Env): ListConfig {
  return {
    ...awsTarget(env),
    bucket: requiredVar(
      env,
      'FILES_BUCKET',
      'Set it on the function to the bucket the pipeline writes metadata/ to.',
    ),
    metadataPrefix: prefixVar(env, 'METADATA_PREFIX', 'metadata/'),
  };
}

/** The process environment, read on first use and then kept for the life of the container. */
export const listConfig = once(() => readListConfig(process.env));
