import { LabError } from './lab-error.ts';
import type { CheckOptions } from './options.ts';

export interface CliArgs {
  options: CheckOptions;
  json: boolean;
  junit?: string;
  help: boolean;
}

export const USAGE = `Usage: npm run check -- [options]

Checks every row of the lab's checklist against your stack and says what to change.

Target
  --local              the local AWS (http://localhost:4566, credentials test/test)
  --profile P          AWS profile (default: the standard credential chain)
  --region R           AWS region
                       AWS_ENDPOINT_URL points the checker at any AWS-compatible endpoint.
Stack (found from .lab/outputs.json or by looking around; these win)
  --api ID|URL         the HTTP API, by id or invoke URL
  --bucket NAME        the upload bucket
  --function NAME      the upload-ticket function
  --frontend-url URL   the page under test (default http://localhost:5173/app/)
  --frontend-dir DIR   folder to serve there when nothing answers (default lab/frontend)
Run
  --only ID...         only these rows (and the rows they need)
  --timeout S          per-row timeout in seconds (default 30)
  --wait S             a row failing in a way AWS may still be applying (a policy, a function
                       being updated, a CORS or route change not yet served) is checked again,
                       with backoff, for up to S seconds in all before it fails (default 20)
  --no-wait            report every failure at once (the same as --wait 0)
Output
  --json               results as JSON on stdout
  --junit FILE         results as JUnit XML in FILE
  --help               this text

lab.config.json (optional, in the current folder) may set region, profile, endpoint, api, bucket,
function, frontendUrl, frontendDir and timeout (seconds); flags win over it.

Exit code: 0 when every row passes, 1 when any does not, 2 for a usage or setup error.`;

const VALUE_FLAGS = new Set([
  'profile',
  'region',
  'api',
  'bucket',
  'function',
  'frontend-url',
  'frontend-dir',
  'timeout',
  'wait',
  'junit',
]);

/** Parses `npm run check -- …` arguments; throws `LAB_USAGE` for anything it does not understand. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const out: CliArgs = { options: {}, json: false, help: false };
  const o = out.options;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-')) throw usage(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
    let inline: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw usage(`--${name} needs a value`);
      i++;
      return next;
    };
    if (name === 'help' || name === 'h') out.help = true;
    else if (name === 'local') o.local = true;
    else if (name === 'no-wait') o.waitMs = 0;
    else if (name === 'json') out.json = true;
    else if (name === 'only') {
      const ids: string[] = inline !== undefined ? [inline] : [];
      inline = undefined;
      while (argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('-')) ids.push(argv[++i] ?? '');
      const split = ids.flatMap((v) => v.split(',')).filter((v) => v.length > 0);
      if (split.length === 0) throw usage('--only needs at least one row id');
      o.only = [...(o.only ?? []), ...split];
    } else if (VALUE_FLAGS.has(name)) {
      const v = value();
      if (name === 'timeout') {
        const seconds = Number(v);
        if (!Number.isFinite(seconds) || seconds <= 0)
          throw usage(`--timeout needs a number of seconds, got "${v}"`);
        o.timeoutMs = Math.round(seconds * 1000);
      } else if (name === 'wait') {
        const seconds = Number(v);
        if (!Number.isFinite(seconds) || seconds < 0)
          throw usage(`--wait needs a number of seconds (0 or more), got "${v}"`);
        o.waitMs = Math.round(seconds * 1000);
      } else if (name === 'junit') out.junit = v;
      else if (name === 'profile') o.profile = v;
      else if (name === 'region') o.region = v;
      else if (name === 'api') o.api = v;
      else if (name === 'bucket') o.bucket = v;
      else if (name === 'function') o.function = v;
      else if (name === 'frontend-url') o.frontendUrl = v;
      else o.frontendDir = v;
    } else throw usage(`unknown option "${arg}"`);
  }
  return out;
}

function usage(problem: string): LabError {
  return new LabError('LAB_USAGE', `${problem}. Run "npm run check -- --help" for the options.`);
}

/** An HTTP API id from an id or an invoke URL (AWS `https://{id}.execute-api…` or local `…/_aws/execute-api/{id}`). */
export function apiIdFrom(value: string): string {
  const aws = /^https?:\/\/([a-z0-9]+)\.execute-api\./i.exec(value);
  if (aws?.[1]) return aws[1];
  const local = /\/_aws\/execute-api\/([^/?#]+)/.exec(value);
  if (local?.[1]) return local[1];
  if (/^[a-z0-9]+$/i.test(value)) return value;
  throw new LabError('LAB_USAGE', `"${value}" is neither an HTTP API id nor its invoke URL. Pass --api ID.`);
}
