import type { AwsCredentialIdentity } from './lib/aws.ts';
import type { BrowserSession } from './lib/browser.ts';
import type { LabOutputs } from './lib/outputs.ts';

/** What a run of the checker is given: the CLI's flags, or the lab page's and the self-test's options. */
export interface CheckOptions {
  /** The local AWS: endpoint http://localhost:4566 (unless AWS_ENDPOINT_URL says otherwise), test/test. */
  local?: boolean;
  /** Any AWS-compatible endpoint; `AWS_ENDPOINT_URL` when not given. */
  endpoint?: string;
  region?: string;
  profile?: string;
  credentials?: AwsCredentialIdentity;
  /** Row ids to run; the rows they need run too. */
  only?: string[];
  /** HTTP API id, or its invoke URL. */
  api?: string;
  bucket?: string;
  /** The upload-ticket function's name. */
  function?: string;
  /** The page under test; default http://localhost:5173/app/. */
  frontendUrl?: string;
  /** The folder served at the frontend URL when nothing answers there; default lab/frontend. */
  frontendDir?: string;
  /** Per-row timeout in milliseconds; default 30 000. */
  timeoutMs?: number;
  /**
   * How long a row whose failure may be AWS still applying a change is checked again, in total,
   * before it fails; default 20 000. 0 (`--no-wait`) reports every failure at once.
   */
  waitMs?: number;
  /** The stack to check, when the caller already knows it (skips discovery). */
  target?: LabOutputs;
  /** Where deploy outputs and the lab config are read from; default the current directory. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * A browser session the caller started and closes (the CLI warms Chromium up before loading the
   * AWS SDK; the lab page or a bench keeps one across runs). The run closes only the page it opened.
   */
  browser?: BrowserSession;
}

export const DEFAULT_FRONTEND_URL = 'http://localhost:5173/app/';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_WAIT_MS = 20_000;
