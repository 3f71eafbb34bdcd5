import type { SessionRecord } from '../../auth/credentials.ts';
import { AwsError } from '../../core/aws-error.ts';
import type { EmulatorEnv } from '../../core/env.ts';
import { assumeRoleForService, checkTrust } from '../sts/assume-role.ts';
import type { FunctionRecord } from './model.ts';
import type { ErrorPayload } from './runtime/protocol.ts';

/** A session is renewed when less than this is left of it. */
const REFRESH_MS = 15 * 60_000;

/**
 * The execution-role sessions functions run with: Lambda assumes the role as
 * `lambda.amazonaws.com` with the function name as the session name, so what a function signs
 * is authorized as `arn:aws:sts::<acct>:assumed-role/<role>/<function>`.
 */
export class RoleSessions {
  private readonly cache = new Map<string, SessionRecord>();

  constructor(private readonly env: EmulatorEnv) {}

  async get(record: FunctionRecord): Promise<SessionRecord | ErrorPayload> {
    const key = `${record.role}|${record.region}/${record.name}`;
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt - Date.now() > REFRESH_MS) return hit;
    try {
      const session = await assumeRoleForService(this.env, record.role, 'lambda.amazonaws.com', record.name);
      this.cache.set(key, session);
      return session;
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      return {
        errorType: 'Runtime.InvalidExecutionRole',
        errorMessage:
          `LAB_ROLE_NOT_ASSUMABLE: Lambda could not assume the execution role ${record.role}: ${err.message} ` +
          `Make sure the role exists and its trust policy allows the service principal lambda.amazonaws.com.`,
      };
    }
  }

  /** Whether Lambda may assume the role now (CreateFunction and UpdateFunctionConfiguration check it). */
  canAssume(roleArn: string): boolean {
    const role = this.env.iam?.getRole(roleArn);
    if (!role) return false;
    // On AWS a role is refused for a few seconds after CreateRole / UpdateAssumeRolePolicy (§11.1).
    if (this.env.iam?.rolePropagated?.(role.arn) === false) return false;
    try {
      checkTrust(role, { service: 'lambda.amazonaws.com' });
      return true;
    } catch {
      return false;
    }
  }

  clear(): void {
    this.cache.clear();
  }
}
