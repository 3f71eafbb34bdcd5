import { AwsError } from '../../core/aws-error.ts';
import type { HandlerInput } from './role-handlers.ts';
import { members, paginate } from './shapes.ts';
import { namedOrCallingUser } from './user-handlers.ts';
import { newAccessKey, type AccessKeyRecord, type UserRecord } from './user-store.ts';
import { checkMember, required, validationError } from './validation.ts';

/** Active or Inactive, a user has at most two (recorded from IAM). */
const KEYS_PER_USER = 2;

/** Recorded from IAM (LocalStack `test_access_key_errors`). */
const noSuchKey = (id: string) =>
  new AwsError('NoSuchEntity', `The Access Key with id ${id} cannot be found.`, { status: 404 });

const keyShape = (user: UserRecord, key: AccessKeyRecord) => ({
  UserName: user.name,
  AccessKeyId: key.accessKeyId,
  Status: key.status,
  CreateDate: key.createDate,
});

/** The key the request names, on the user it names (or the calling user). */
function namedKey(input: HandlerInput): { user: UserRecord; key: AccessKeyRecord } {
  const id = required(input.params, 'AccessKeyId');
  checkMember(id, 'accessKeyId', /^\w+$/, '[\\w]+', 128, 16);
  const user = namedOrCallingUser(input);
  const key = user.accessKeys.find((k) => k.accessKeyId === id);
  if (!key) throw noSuchKey(id);
  return { user, key };
}

/**
 * A new Active key: the only answer that carries the secret.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html
 */
export async function createAccessKey(input: HandlerInput) {
  const user = namedOrCallingUser(input);
  if (user.accessKeys.length >= KEYS_PER_USER)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`, {
      status: 409,
    });
  const key = newAccessKey();
  await input.model.users.update(user.name, (u) => {
    u.accessKeys.push(key);
  });
  return { AccessKey: { ...keyShape(user, key), SecretAccessKey: key.secretAccessKey } };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html */
export async function listAccessKeys(input: HandlerInput) {
  const user = namedOrCallingUser(input);
  const { page, ...more } = paginate(user.accessKeys, input.params);
  return { AccessKeyMetadata: members(page.map((k) => keyShape(user, k))), ...more };
}

/**
 * `Inactive` stops the key signing anything (it is then refused as an unknown key); `Active`
 * brings it back.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html
 */
export async function updateAccessKey(input: HandlerInput) {
  const status = required(input.params, 'Status');
  if (status !== 'Active' && status !== 'Inactive')
    throw validationError(
      `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
    );
  const { user, key } = namedKey(input);
  await input.model.users.update(user.name, (u) => {
    const stored = u.accessKeys.find((k) => k.accessKeyId === key.accessKeyId);
    if (stored) stored.status = status;
  });
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteAccessKey.html */
export async function deleteAccessKey(input: HandlerInput) {
  const { user, key } = namedKey(input);
  await input.model.users.update(user.name, (u) => {
    u.accessKeys = u.accessKeys.filter((k) => k.accessKeyId !== key.accessKeyId);
  });
  return undefined;
}
