import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './solution-stack.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run check -- <args>` as a process in `cwd`, with nothing of this machine's environment
 * but PATH: no AWS profile, no credentials file, no instance metadata; `env` adds the rest.
 */
export function runCheckerCli(args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      join(REPO, 'node_modules', '.bin', 'tsx'),
      [join(REPO, 'checks', 'cli.ts'), ...args],
      {
        cwd,
        timeout: 120_000,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: cwd,
          NO_COLOR: '1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          AWS_CONFIG_FILE: join(cwd, 'no-aws-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(cwd, 'no-aws-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
          ...env,
        },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Lines of a JavaScript stack trace (`    at fn (file.ts:12:3)`). */
export const stackTraceLines = (text: string): string[] =>
  text.split('\n').filter((line) => /^\s+at\s.+(:\d+:\d+\)?|\(native\))$/.test(line));
