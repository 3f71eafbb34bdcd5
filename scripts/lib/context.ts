import type { Clients } from './clients.ts';
import type { FunctionKey, LabNames } from './names.ts';
import type { Target } from './target.ts';

export type ChangeAction = 'created' | 'updated' | 'unchanged' | 'deleted';

/** One line of progress: what happened to one resource. */
export interface Change {
  /** e.g. `bucket`, `role`, `function`, `route`. */
  kind: string;
  name: string;
  action: ChangeAction;
  /** What changed, or why nothing did (e.g. `absent`). */
  detail?: string;
}

/** What one deploy, solve or teardown run shares between its resources. */
export interface RunContext {
  target: Target;
  clients: Clients;
  names: LabNames;
  /** The frontend origin the CORS settings allow. */
  origin: string;
  /** On real AWS, new roles and policies take seconds to reach Lambda and S3; the local AWS needs no wait. */
  waitForIam: boolean;
  /** Found or created during the run, so later resources need not look again. */
  found: {
    apiId?: string;
    apiEndpoint?: string;
    roleArns: Partial<Record<FunctionKey, string>>;
    functionArns: Partial<Record<FunctionKey, string>>;
  };
  /** Set when a role or policy was written (the run then waits for IAM on real AWS). */
  iamChanged: boolean;
  /** Progress lines while the run waits on AWS (a role to propagate, a change to apply). */
  note?: (message: string) => void;
}

/** A resource the plan reconciles: reads what is there, writes only what differs. */
export interface Resource {
  /** Stable id; a later step's resource replaces an earlier one with the same id. */
  id: string;
  run(ctx: RunContext): Promise<Change>;
}

export const change = (kind: string, name: string, action: ChangeAction, detail?: string): Change =>
  detail === undefined ? { kind, name, action } : { kind, name, action, detail };
