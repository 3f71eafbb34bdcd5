import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chalk, parseArgv } from 'zx';
import type { Change } from './context.ts';
import { LabError, usageError } from './errors.ts';

/** True when the module at `url` is the script node was started with. */
export const isMain = (url: string): boolean =>
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(url);

export interface FlagSpec {
  boolean: string[];
  string: string[];
}

export type Flags = Record<string, string | boolean | undefined> & { _: string[] };

/** minimist through zx, refusing unknown flags and string flags given without a value. */
export function parseFlags(args: string[], spec: FlagSpec): Flags {
  const unknown: string[] = [];
  const parsed = parseArgv(args, {
    boolean: [...spec.boolean, 'help'],
    string: spec.string,
    alias: { h: 'help' },
    unknown: (arg: string) => {
      if (arg.startsWith('-')) unknown.push(arg);
      return !arg.startsWith('-');
    },
  });
  if (unknown.length) throw usageError(`unknown option ${unknown.join(', ')}.`);
  for (const name of spec.string) {
    const value: unknown = parsed[name];
    if (Array.isArray(value)) throw usageError(`--${name} was given more than once.`);
    if (value === '') throw usageError(`--${name} needs a value.`);
  }
  return parsed as Flags;
}

export const flagString = (flags: Flags, name: string): string | undefined => {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
};

const COLOURS: Record<Change['action'], (text: string) => string> = {
  created: chalk.green,
  updated: chalk.yellow,
  deleted: chalk.red,
  unchanged: chalk.dim,
};

/** One line per resource: `  created    function  upload-lab-list-files`. */
export function printChange(c: Change): void {
  const detail = c.detail ? chalk.dim(` (${c.detail})`) : '';
  process.stderr.write(
    `  ${COLOURS[c.action](c.action.padEnd(10))} ${c.kind.padEnd(20)} ${c.name}${detail}\n`,
  );
}

export const printNote = (message: string): void => {
  process.stderr.write(`${chalk.dim(message)}\n`);
};

export function summary(changes: Change[]): string {
  const count = (action: Change['action']): number => changes.filter((c) => c.action === action).length;
  const parts = (['created', 'updated', 'deleted', 'unchanged'] as const)
    .map((a) => [a, count(a)] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${a}`);
  return parts.length ? parts.join(', ') : 'nothing to do';
}

/** Runs a CLI body: prints a LabError as `CODE: message` and exits 0, 1 or 2. */
export async function runCli(body: () => Promise<void>): Promise<void> {
  try {
    await body();
    process.exitCode = 0;
  } catch (err) {
    if (err instanceof LabError) {
      process.stderr.write(`${chalk.red(err.message)}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(
      `${chalk.red('unexpected error:')} ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  }
}
