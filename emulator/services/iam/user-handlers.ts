import { AwsError } from '../../core/aws-error.ts';
import { iamDate } from './role-store.ts';
import type { HandlerInput } from './role-handlers.ts';
import { members, paginate, readTags } from './shapes.ts';
import { newUser, noSuchUser, type UserRecord } from './user-store.ts';
import { checkMember, checkPath, checkTags, NAME, required, validationError } from './validation.ts';

export const checkUserName = (v: string) => checkMember(v, 'userName', NAME, '[\\w+=,.@-]+', 64);

/** The User structure; ListUsers leaves out Tags, as IAM's listing operations do. */
export function userShape(user: UserRecord, withTags: boolean): Record<string, unknown> {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: user.createDate,
    ...(withTags && user.tags.length ? { Tags: members(user.tags) } : {}),
  };
}

/** Recorded from IAM for an access-key call without UserName by a non-user; used for GetUser too [INFERRED]. */
export const nonUserCaller = () =>
  validationError('Must specify userName when calling with non-User credentials');

/** The user a request names, or (no UserName) the user that signed it. */
export function namedOrCallingUser({ model, params, ctx }: HandlerInput): UserRecord {
  const name = params.get('UserName');
  if (name !== undefined) return model.users.get(name);
  const caller = ctx.principal;
  if (caller.type !== 'user') throw nonUserCaller();
  const user = model.users.find(caller.arn);
  if (!user) throw noSuchUser(caller.userName);
  return user;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html */
export async function createUser({ model, params }: HandlerInput) {
  const name = required(params, 'UserName');
  checkUserName(name);
  const path = params.get('Path') ?? '/';
  checkPath(path);
  const tags = readTags(params);
  checkTags(tags);
  if (model.users.has(name))
    throw new AwsError('EntityAlreadyExists', `User with name ${name} already exists.`, { status: 409 });
  const user = newUser(name, path, tags);
  await model.users.put(user);
  return { User: userShape(user, true) };
}

/**
 * Without UserName, the caller: a user gets itself; root gets the account's root identity
 * (no UserName or Path [UNVERIFIED: from memory of the CLI's output]); a role session is refused.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
 */
export async function getUser(input: HandlerInput) {
  const caller = input.ctx.principal;
  if (input.params.get('UserName') === undefined && caller.type === 'root')
    return {
      User: { UserId: caller.accountId, Arn: caller.arn, CreateDate: iamDate(input.env.startedAt) },
    };
  return { User: userShape(namedOrCallingUser(input), true) };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html */
export async function listUsers({ model, params }: HandlerInput) {
  const prefix = params.get('PathPrefix') ?? '/';
  const { page, ...more } = paginate(
    model.users.list().filter((u) => u.path.startsWith(prefix)),
    params,
  );
  return { Users: members(page.map((u) => userShape(u, false))), ...more };
}

/**
 * Refuses while the user still has access keys, groups or policies, as IAM does. Messages
 * for policies recorded from IAM; the keys and groups wordings, and the order of the checks,
 * are [UNVERIFIED] (community and moto).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html
 */
export async function deleteUser({ model, params }: HandlerInput) {
  const user = model.users.get(required(params, 'UserName'));
  const conflict = (what: string) =>
    new AwsError('DeleteConflict', `Cannot delete entity, must ${what} first.`, { status: 409 });
  if (user.accessKeys.length) throw conflict('delete access keys');
  if (user.groups.length) throw conflict('remove user from all groups');
  if (user.attachedPolicyArns.length) throw conflict('detach all policies');
  if (Object.keys(user.inlinePolicies).length) throw conflict('delete policies');
  await model.users.remove(user.name);
  return undefined;
}
