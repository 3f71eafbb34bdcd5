import { ACCOUNT_ID, type Principal } from '../../auth/principal.ts';
import type { UserKeyLookup } from '../../auth/credentials.ts';
import type { NamedStore, UserRecord } from './user-store.ts';

/**
 * The credential store's view of users' access keys: an `AKIA…` key that exists and is
 * Active signs as its user; anything else is unknown (AWS refuses an Inactive key exactly as
 * an unknown one: `InvalidAccessKeyId` / `InvalidClientTokenId` / `UnrecognizedClientException`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
 */
export function userKeyLookup(model: { readonly users: NamedStore<UserRecord> }): UserKeyLookup {
  return (accessKeyId) => {
    // Role sessions (`ASIA…`) and other keys never belong to a user: skip the scan for them.
    if (!accessKeyId.startsWith('AKIA')) return undefined;
    for (const user of model.users.list()) {
      const key = user.accessKeys.find((k) => k.accessKeyId === accessKeyId);
      if (!key) continue;
      if (key.status !== 'Active') return undefined;
      return { secretAccessKey: key.secretAccessKey, principal: userPrincipal(user, accessKeyId) };
    }
    return undefined;
  };
}

export function userPrincipal(user: UserRecord, accessKeyId: string): Principal {
  return {
    type: 'user',
    accountId: ACCOUNT_ID,
    arn: user.arn,
    userName: user.name,
    userId: user.userId,
    accessKeyId,
  };
}
