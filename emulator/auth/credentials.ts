import { AwsError, commonErrors } from '../core/aws-error.ts';
import { awsId, secretKey } from '../core/ids.ts';
import { JsonStore } from '../storage/json-store.ts';
import { ACCOUNT_ID, rootPrincipal, type Principal } from './principal.ts';

export interface RootCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Temporary credentials of a role session (STS AssumeRole, or a Lambda execution role). */
export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ms since epoch */
  expiresAt: number;
  roleArn: string;
  roleName: string;
  roleId: string;
  sessionName: string;
}

/** What a signature is checked against, and who the request then acts as. */
export interface ResolvedKey {
  secretAccessKey: string;
  sessionToken?: string;
  principal: Principal;
  expiresAt?: number;
}

const EXPIRED_KEPT_MS = 24 * 3600_000;

/** An IAM user's long-term key, as IAM (which owns it) hands it over: only while it exists and is Active. */
export type UserKeyLookup = (
  accessKeyId: string,
) => { secretAccessKey: string; principal: Principal } | undefined;

/**
 * Every access key the local AWS knows: the root keys (`test`/`test` unless overridden) and
 * role sessions, kept on disk so that a ticket signed before a restart still verifies after.
 */
export class CredentialStore {
  private userKeys: UserKeyLookup = () => undefined;

  private constructor(
    private readonly roots: RootCredentials[],
    private readonly sessions: JsonStore<SessionRecord>,
  ) {}

  /** Lets IAM answer for the users' access keys (they live in IAM's store, with the users). */
  useUserKeys(lookup: UserKeyLookup): void {
    this.userKeys = lookup;
  }

  static async open(dir: string, roots: RootCredentials[]): Promise<CredentialStore> {
    return new CredentialStore(roots, await JsonStore.open<SessionRecord>(dir));
  }

  async issueSession(input: {
    roleArn: string;
    roleName: string;
    roleId: string;
    sessionName: string;
    durationSeconds: number;
  }): Promise<SessionRecord> {
    const record: SessionRecord = {
      accessKeyId: awsId('ASIA'),
      secretAccessKey: secretKey(),
      sessionToken: Buffer.from(`${awsId('FQoG', 24)}:${input.roleArn}:${Date.now()}`).toString('base64'),
      expiresAt: Date.now() + input.durationSeconds * 1000,
      ...input,
    };
    await this.sessions.put(record.accessKeyId, record);
    void this.prune();
    return record;
  }

  /**
   * Finds the secret for an access key and checks the session token that came with it.
   * Unknown (or Inactive user) key → `InvalidAccessKeyId`; a session key without its token, or with another
   * token → `InvalidToken`; past its expiry → `ExpiredToken`.
   */
  resolve(accessKeyId: string, sessionToken: string | undefined, now = Date.now()): ResolvedKey {
    const root = this.roots.find((r) => r.accessKeyId === accessKeyId);
    if (root) return { secretAccessKey: root.secretAccessKey, principal: rootPrincipal(accessKeyId) };
    // A deleted or Inactive user key is refused like a key that never existed, as AWS does.
    const userKey = this.userKeys(accessKeyId);
    if (userKey) return userKey;
    const session = this.sessions.get(accessKeyId);
    if (!session) throw commonErrors.invalidAccessKeyId(accessKeyId);
    if (sessionToken === undefined) throw commonErrors.invalidAccessKeyId(accessKeyId);
    if (sessionToken !== session.sessionToken) throw commonErrors.invalidToken();
    if (now >= session.expiresAt) throw commonErrors.expiredToken();
    return {
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      expiresAt: session.expiresAt,
      principal: {
        type: 'role-session',
        accountId: ACCOUNT_ID,
        arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${session.roleName}/${session.sessionName}`,
        roleArn: session.roleArn,
        roleName: session.roleName,
        sessionName: session.sessionName,
        userId: `${session.roleId}:${session.sessionName}`,
        accessKeyId,
      },
    };
  }

  /** Ends every session of a role (the role was deleted). */
  async revokeRole(roleArn: string): Promise<void> {
    for (const [key, s] of this.sessions.entries())
      if (s.roleArn === roleArn) await this.sessions.delete(key);
  }

  async clear(): Promise<void> {
    await this.sessions.clear();
  }

  private async prune(): Promise<void> {
    const cutoff = Date.now() - EXPIRED_KEPT_MS;
    for (const [key, s] of this.sessions.entries()) if (s.expiresAt < cutoff) await this.sessions.delete(key);
  }
}

export { AwsError };
