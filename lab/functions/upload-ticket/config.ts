import { awsTarget, ConfigError, once, positiveIntVar, prefixVar, requiredVar } from '../lib/env.ts';
import type { AwsTarget, Env } from '../lib/env.ts';

/** What the function may hand out when `ALLOWED_CONTENT_TYPES` is not set. `type/*` entries match a family. */
export const DEFAULT_ALLOWED_CONTENT_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/json',
];
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** A ticket lives at most 15 minutes, whatever the environment says. */
export const MAX_EXPIRES_SECONDS = 900;
/** S3 refuses a single POST upload above 5 GiB. */
const S3_POST_LIMIT_BYTES = 5 * 1024 ** 3;

export interface TicketConfig extends AwsTarget {
  bucket: string;
  uploadPrefix: string;
  maxBytes: number;
  expiresSeconds: number;
  /** Lower-case `type/subtype` or `type/*` entries. */
  allowedContentTypes: readonly string[];
}

/** Reads and checks the upload-ticket function's environment; throws `ConfigError` when it is wrong. */
export function readTicketConfig(env: Env): TicketConfig {
  const bucket = requiredVar(
    env,
    'UPLOAD_BUCKET',
    'Set it on the function to the bucket that receives uploads, e.g. upload-lab-123456789012-us-east-1.',
  );
  const maxBytes = positiveIntVar(env, 'MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES);
  if (maxBytes > S3_POST_LIMIT_BYTES) {
    throw new ConfigError(
      `MAX_UPLOAD_BYTES is ${maxBytes}; S3 accepts at most ${S3_POST_LIMIT_BYTES} in one POST.`,
    );
  }
  return {
    ...awsTarget(env),
    bucket,
    uploadPrefix: prefixVar(env, 'UPLOAD_PREFIX', 'incoming/'),
    maxBytes,
    expiresSeconds: Math.min(
      positiveIntVar(env, 'UPLOAD_EXPIRES_SECONDS', MAX_EXPIRES_SECONDS),
      MAX_EXPIRES_SECONDS,
    ),
    allowedContentTypes: contentTypeList(env.ALLOWED_CONTENT_TYPES),
  };
}

function contentTypeList(raw: string | undefined): readonly string[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_ALLOWED_CONTENT_TYPES;
  const entries = raw
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  const bad = entries.filter(
    (entry) => !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$/.test(entry),
  );
  if (entries.length === 0 || bad.length > 0) {
    throw new ConfigError(
      `ALLOWED_CONTENT_TYPES must be a comma list like "image/png,image/*,application/pdf", got "${raw}".`,
    );
  }
  return entries;
}

/** The process environment, read on first use and then kept for the life of the container. */
export const ticketConfig = once(() => readTicketConfig(process.env));
