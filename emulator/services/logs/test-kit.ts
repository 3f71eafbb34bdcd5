import { runAws, type CliResult } from '../../test-support/aws-cli.ts';
import type { TestCredentials } from '../../test-support/clients.ts';
import { sendSigned } from '../../test-support/sign.ts';

/** Shared by the logs tests: raw signed JSON 1.1 calls (no SDK v3 Logs client is installed) and the CLI. */

export interface LogsAnswer {
  status: number;
  contentType: string | null;
  body: Record<string, unknown>;
}

/** Sends `Logs_20140328.<operation>` with `input` as its JSON body, signed for `logs`. */
export async function logsCall(
  url: string,
  operation: string,
  input: unknown,
  options: { credentials?: TestCredentials; region?: string; rawBody?: string } = {},
): Promise<LogsAnswer> {
  const res = await sendSigned({
    url: `${url}/`,
    service: 'logs',
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Logs_20140328.${operation}`,
    },
    body: options.rawBody ?? JSON.stringify(input),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** Runs `aws logs …` and parses its JSON output. */
export async function logsCli(url: string, args: string[]): Promise<CliResult & { json: unknown }> {
  const result = await runAws(url, ['logs', ...args]);
  let json: unknown;
  try {
    json = result.stdout.trim() ? JSON.parse(result.stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { ...result, json };
}

/** `n` events a millisecond apart ending now, messages `<prefix> <i>`. */
export function events(
  n: number,
  prefix = 'line',
  end = Date.now(),
): Array<{ timestamp: number; message: string }> {
  return Array.from({ length: n }, (_, i) => ({ timestamp: end - (n - 1 - i), message: `${prefix} ${i}` }));
}
