import type { Target } from './target.ts';

/** `local AWS at http://localhost:4566 (us-east-1, account 000000000000)` or `AWS us-east-1, account …`. */
export const describeTarget = (target: Target): string =>
  target.endpoint
    ? `${target.endpoint} (${target.region}, account ${target.account})`
    : `AWS ${target.region}, account ${target.account} as ${target.callerArn}`;
