import { LabError } from './lab-error.ts';
import { awsErrorCode } from './lib/aws.ts';

/** What AWS answers when the identity lacks a permission, by service (S3, IAM/STS; Lambda, API Gateway). */
const DENIED = new Set(['AccessDenied', 'AccessDeniedException']);

/**
 * The credentials work, but AWS refused one of the checker's reads: one coded line saying which
 * action was refused and what to do, instead of an error per row. `undefined` for anything else.
 */
export function permissionProblem(err: unknown): LabError | undefined {
  const code = awsErrorCode(err);
  if (!code || !DENIED.has(code)) return undefined;
  const message = (err as Error).message;
  // AWS names the identity and the action: "User: <arn> is not authorized to perform: <action> on …".
  const who = /^User: (\S+) is not authorized/.exec(message)?.[1];
  const action = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
  return new LabError(
    'LAB_MISSING_PERMISSION',
    `your identity${who ? ` (${who})` : ''} may not perform ${action ?? 'a call the checker needs'} (${code}: ${message}). ` +
      'The checker only reads your stack: grant read access (for example the AWS managed ReadOnlyAccess policy), ' +
      'or run it as an identity that has it (--profile P).',
  );
}
