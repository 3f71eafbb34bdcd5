import { awsTarget, once, prefixVar } from '../lib/env.ts';
import type { AwsTarget, Env } from '../lib/env.ts';

export interface MetadataConfig extends AwsTarget {
  /** Only objects under this prefix are uploads (`incoming/`). */
  uploadPrefix: string;
  /** Where records go (`metadata/`); outside `uploadPrefix`, so the function never triggers itself. */
  metadataPrefix: string;
}

/** Reads and checks the file-metadata function's environment; throws `ConfigError` when it is wrong. */
export function readMetadataConfig(env: Env): MetadataConfig {
  return {
    ...awsTarget(env),
    uploadPrefix: prefixVar(env, 'UPLOAD_PREFIX', 'incoming/'),
    metadataPrefix: prefixVar(env, 'METADATA_PREFIX', 'metadata/'),
  };
}

/** The process environment, read on first use and then kept for the life of the container. */
export const metadataConfig = once(() => readMetadataConfig(process.env));
