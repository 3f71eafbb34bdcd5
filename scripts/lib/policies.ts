import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Cors } from '@aws-sdk/client-apigatewayv2';
import type { CORSRule } from '@aws-sdk/client-s3';
import { REPO_ROOT } from './bundle.ts';
import { LabError } from './errors.ts';

export const POLICIES_DIR = path.join(REPO_ROOT, 'solution', 'policies');

export interface PolicyDocument {
  Version: string;
  Statement: Array<Record<string, unknown>>;
}

export interface Placeholders {
  bucket: string;
  origin: string;
}

/** Reads `solution/policies/<file>`, replacing `${BUCKET}` and `${ORIGIN}`. */
export async function loadPolicyFile(
  file: string,
  values: Placeholders,
  dir = POLICIES_DIR,
): Promise<unknown> {
  const full = path.join(dir, file);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (err) {
    throw new LabError(
      'LAB_AWS_ERROR',
      `${path.relative(REPO_ROOT, full)} cannot be read; the reference solution is incomplete.`,
      {
        cause: err,
      },
    );
  }
  // JSON-escape the values: they land inside JSON strings.
  const escape = (value: string): string => JSON.stringify(value).slice(1, -1);
  const filled = text
    .replaceAll('${BUCKET}', escape(values.bucket))
    .replaceAll('${ORIGIN}', escape(values.origin));
  try {
    return JSON.parse(filled) as unknown;
  } catch (err) {
    throw new LabError(
      'LAB_AWS_ERROR',
      `${path.relative(REPO_ROOT, full)} is not valid JSON: ${String(err)}`,
      {
        cause: err,
      },
    );
  }
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** Reads a field by its PascalCase (SDK) or camelCase (CLI/console JSON) name. */
function field(obj: Record<string, unknown>, name: string): unknown {
  return obj[name] ?? obj[name.charAt(0).toLowerCase() + name.slice(1)];
}

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map((v) => String(v)) : undefined;

/** An HTTP API CORS configuration, as `aws apigatewayv2 update-api --cors-configuration` takes it. */
export function toApiCors(json: unknown): Cors {
  const outer = record(json);
  const cors = record(field(outer, 'CorsConfiguration') ?? outer);
  const out: Cors = {};
  const lists = ['AllowOrigins', 'AllowMethods', 'AllowHeaders', 'ExposeHeaders'] as const;
  for (const name of lists) {
    const list = stringList(field(cors, name));
    if (list) out[name] = list;
  }
  const maxAge = field(cors, 'MaxAge');
  if (typeof maxAge === 'number') out.MaxAge = maxAge;
  const credentials = field(cors, 'AllowCredentials');
  if (typeof credentials === 'boolean') out.AllowCredentials = credentials;
  return out;
}

/** S3 CORS rules, from `{CORSRules: [...]}` (as `aws s3api put-bucket-cors` takes it) or a bare list. */
export function toBucketCorsRules(json: unknown): CORSRule[] {
  const rules = Array.isArray(json) ? json : field(record(json), 'CORSRules');
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new LabError('LAB_AWS_ERROR', 'solution/policies/bucket-cors.json holds no CORSRules.');
  }
  return rules.map((raw): CORSRule => {
    const rule = record(raw);
    const out: CORSRule = {
      AllowedMethods: stringList(field(rule, 'AllowedMethods')) ?? [],
      AllowedOrigins: stringList(field(rule, 'AllowedOrigins')) ?? [],
    };
    const headers = stringList(field(rule, 'AllowedHeaders'));
    if (headers) out.AllowedHeaders = headers;
    const expose = stringList(field(rule, 'ExposeHeaders'));
    if (expose) out.ExposeHeaders = expose;
    const maxAge = field(rule, 'MaxAgeSeconds');
    if (typeof maxAge === 'number') out.MaxAgeSeconds = maxAge;
    const id = field(rule, 'ID');
    if (typeof id === 'string') out.ID = id;
    return out;
  });
}

export function toPolicyDocument(json: unknown, file: string): PolicyDocument {
  const doc = record(json);
  if (typeof doc.Version !== 'string' || !Array.isArray(doc.Statement)) {
    throw new LabError(
      'LAB_AWS_ERROR',
      `solution/policies/${file} is not an IAM policy (Version and Statement).`,
    );
  }
  return doc as unknown as PolicyDocument;
}
