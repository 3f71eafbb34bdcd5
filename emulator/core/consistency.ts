/**
 * `--consistency aws`: the delays AWS shows between a change and its effect, so that the harness
 * is tested against the timing it meets on AWS. The one place the numbers live.
 *
 * Source: aws-behavior.md §11 (IAM "eventual consistency", Lambda function states, S3 bucket
 * configurations, HTTP API auto-deploys). AWS documents no durations: the values are §11.5's
 * choice from community reports — UNVERIFIED as measurements. Anything that waits on them must
 * wait on a condition (a waiter, a re-check), never on the number.
 */
export const AWS_DELAYS_MS = {
  /** A new role (or a changed trust policy) is refused by Lambda's CreateFunction (§11.1). */
  rolePropagation: 6000,
  /** Identity-policy changes reach authorization; the previous decision holds meanwhile (§11.1). */
  identityPolicy: 4000,
  /** CreateFunction leaves the function `Pending` (§11.2). */
  functionCreate: 1500,
  /** UpdateFunctionCode / UpdateFunctionConfiguration leave `LastUpdateStatus: InProgress` (§11.2). */
  functionUpdate: 1500,
  /** Bucket CORS, notification, policy, ownership and Block Public Access changes apply (§11.3). */
  bucketSetting: 2000,
  /** HTTP API route, integration and CORS changes are served (§11.4). */
  httpApi: 2000,
} as const;

export type DelayName = keyof typeof AWS_DELAYS_MS;
export type ConsistencyMode = 'immediate' | 'aws';

export interface ConsistencyOptions {
  mode?: ConsistencyMode;
  /** Multiplies every delay (tests run at 0.2). Default 1. */
  scale?: number;
}

/** The mode the server runs in, and the delay of each kind of change in that mode. */
export class Consistency {
  readonly mode: ConsistencyMode;
  readonly scale: number;

  constructor(options: ConsistencyOptions = {}) {
    this.mode = options.mode ?? 'immediate';
    this.scale = options.scale ?? 1;
    if (!(this.scale >= 0) || !Number.isFinite(this.scale))
      throw new Error(`consistency scale must be a number of 0 or more, not ${options.scale}`);
  }

  /** How long after a change of this kind it takes effect: 0 in immediate mode. */
  delayMs(name: DelayName): number {
    return this.mode === 'aws' ? Math.round(AWS_DELAYS_MS[name] * this.scale) : 0;
  }

  describe(): string {
    return this.mode === 'aws' ? `aws (scale ${this.scale})` : 'immediate';
  }
}

/** Reads `--consistency` / `EMULATOR_CONSISTENCY` and `--consistency-scale` / `EMULATOR_CONSISTENCY_SCALE`. */
export function consistencyOptions(
  mode: string | undefined,
  scale: string | undefined,
): Required<ConsistencyOptions> {
  const m = mode ?? 'immediate';
  if (m !== 'immediate' && m !== 'aws')
    throw new Error(`--consistency must be "immediate" or "aws", not "${m}"`);
  const f = scale === undefined || scale === '' ? 1 : Number(scale);
  if (!Number.isFinite(f) || f < 0)
    throw new Error(`--consistency-scale must be a number of 0 or more, not "${scale}"`);
  return { mode: m, scale: f };
}
