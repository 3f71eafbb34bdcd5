import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from './lab-error.ts';
import type { CheckOptions } from './options.ts';

export const LAB_CONFIG_FILE = 'lab.config.json';

/**
 * `lab.config.json`, for a stack the checker cannot find on its own or a setup that never changes.
 * Every field is optional; a flag wins over the same field here.
 *
 * ```json
 * {
 *   "region": "eu-west-1",            // AWS region
 *   "profile": "lab",                 // AWS profile
 *   "endpoint": "http://localhost:4566", // any AWS-compatible endpoint
 *   "api": "a1b2c3d4e5",              // HTTP API id or invoke URL
 *   "bucket": "my-upload-bucket",     // the upload bucket
 *   "function": "my-upload-ticket",   // the upload-ticket function
 *   "frontendUrl": "http://localhost:5173/app/", // the page under test
 *   "frontendDir": "lab/frontend",    // served there when nothing answers
 *   "timeout": 30                     // per-row timeout, seconds
 * }
 * ```
 */
export interface LabConfig {
  region?: string;
  profile?: string;
  endpoint?: string;
  api?: string;
  bucket?: string;
  function?: string;
  frontendUrl?: string;
  frontendDir?: string;
  timeout?: number;
}

const STRING_FIELDS = [
  'region',
  'profile',
  'endpoint',
  'api',
  'bucket',
  'function',
  'frontendUrl',
  'frontendDir',
];

export async function readLabConfig(cwd: string): Promise<LabConfig> {
  const file = join(cwd, LAB_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return parseLabConfig(text);
}

export function parseLabConfig(text: string): LabConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw bad(`it is not valid JSON (${(err as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('it must be a JSON object');
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (STRING_FIELDS.includes(key)) {
      if (typeof value !== 'string' || value === '') throw bad(`"${key}" must be a non-empty string`);
      config[key] = value;
    } else if (key === 'timeout') {
      if (typeof value !== 'number' || !(value > 0))
        throw bad('"timeout" must be a positive number of seconds');
      config[key] = value;
    } else if (!key.startsWith('$') && !key.startsWith('//')) {
      throw bad(`unknown field "${key}" (known: ${[...STRING_FIELDS, 'timeout'].join(', ')})`);
    }
  }
  return config as LabConfig;
}

function bad(problem: string): LabError {
  return new LabError('LAB_BAD_CONFIG', `${LAB_CONFIG_FILE}: ${problem}. Fix or remove the file.`);
}

/** Flags over the config file. */
export function withLabConfig(options: CheckOptions, config: LabConfig): CheckOptions {
  const merged: CheckOptions = { ...options };
  for (const key of [
    'region',
    'profile',
    'endpoint',
    'api',
    'bucket',
    'function',
    'frontendUrl',
    'frontendDir',
  ] as const) {
    const value = config[key];
    if (merged[key] === undefined && value !== undefined) merged[key] = value;
  }
  if (merged.timeoutMs === undefined && config.timeout !== undefined)
    merged.timeoutMs = config.timeout * 1000;
  return merged;
}
