import { AwsError } from '../../core/aws-error.ts';
import type { HandlerInput } from './role-handlers.ts';
import { members, paginate } from './shapes.ts';
import { newGroup, type GroupRecord } from './user-store.ts';
import { checkMember, checkPath, NAME, required } from './validation.ts';
import { userShape } from './user-handlers.ts';

const GROUPS_PER_USER = 10;

export const checkGroupName = (v: string) => checkMember(v, 'groupName', NAME, '[\\w+=,.@-]+', 128);

/** The Group structure (recorded from IAM: Path, GroupName, GroupId, Arn, CreateDate). */
export const groupShape = (g: GroupRecord) => ({
  Path: g.path,
  GroupName: g.name,
  GroupId: g.groupId,
  Arn: g.arn,
  CreateDate: g.createDate,
});

/** The group's members, in name order (membership is kept on each user). */
const membersOf = (model: HandlerInput['model'], group: GroupRecord) =>
  model.users.list().filter((u) => u.groups.some((g) => g.toLowerCase() === group.name.toLowerCase()));

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html */
export async function createGroup({ model, params }: HandlerInput) {
  const name = required(params, 'GroupName');
  checkGroupName(name);
  const path = params.get('Path') ?? '/';
  checkPath(path);
  if (model.groups.has(name))
    throw new AwsError('EntityAlreadyExists', `Group with name ${name} already exists.`, { status: 409 });
  const group = newGroup(name, path);
  await model.groups.put(group);
  return { Group: groupShape(group) };
}

/** The group and a page of its users. https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroup.html */
export async function getGroup({ model, params }: HandlerInput) {
  const group = model.groups.get(required(params, 'GroupName'));
  const { page, ...more } = paginate(membersOf(model, group), params);
  return { Group: groupShape(group), Users: members(page.map((u) => userShape(u, false))), ...more };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroups.html */
export async function listGroups({ model, params }: HandlerInput) {
  const prefix = params.get('PathPrefix') ?? '/';
  const { page, ...more } = paginate(
    model.groups.list().filter((g) => g.path.startsWith(prefix)),
    params,
  );
  return { Groups: members(page.map(groupShape)), ...more };
}

/**
 * Refuses while the group has members or policies (wordings as IAM's, seen in community
 * captures; the order of the checks is [UNVERIFIED]).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroup.html
 */
export async function deleteGroup({ model, params }: HandlerInput) {
  const group = model.groups.get(required(params, 'GroupName'));
  const conflict = (what: string) =>
    new AwsError('DeleteConflict', `Cannot delete entity, must ${what} first.`, { status: 409 });
  if (membersOf(model, group).length) throw conflict('remove users from group');
  if (group.attachedPolicyArns.length) throw conflict('detach all policies');
  if (Object.keys(group.inlinePolicies).length) throw conflict('delete policies');
  await model.groups.remove(group.name);
  return undefined;
}

/** Adding a member again changes nothing [UNVERIFIED]. https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html */
export async function addUserToGroup({ model, params }: HandlerInput) {
  const groupName = required(params, 'GroupName');
  const userName = required(params, 'UserName');
  const group = model.groups.get(groupName);
  const user = model.users.get(userName);
  if (user.groups.some((g) => g.toLowerCase() === group.name.toLowerCase())) return undefined;
  if (user.groups.length >= GROUPS_PER_USER)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`, {
      status: 409,
    });
  await model.users.update(user.name, (u) => {
    u.groups.push(group.name);
  });
  return undefined;
}

/**
 * Removing a user that is not a member answers 200 (recorded from IAM).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveUserFromGroup.html
 */
export async function removeUserFromGroup({ model, params }: HandlerInput) {
  const groupName = required(params, 'GroupName');
  const userName = required(params, 'UserName');
  const group = model.groups.get(groupName);
  const user = model.users.get(userName);
  const lower = group.name.toLowerCase();
  if (!user.groups.some((g) => g.toLowerCase() === lower)) return undefined;
  await model.users.update(user.name, (u) => {
    u.groups = u.groups.filter((g) => g.toLowerCase() !== lower);
  });
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupsForUser.html */
export async function listGroupsForUser({ model, params }: HandlerInput) {
  const user = model.users.get(required(params, 'UserName'));
  const groups = user.groups.flatMap((g) => {
    const group = model.groups.find(g);
    return group ? [group] : [];
  });
  const { page, ...more } = paginate(groups, params);
  return { Groups: members(page.map(groupShape)), ...more };
}
