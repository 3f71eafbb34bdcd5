import * as holder from './holder-policy-handlers.ts';
import type { HolderKind } from './holder-policy-handlers.ts';

const USER: HolderKind = {
  label: 'user',
  nameParam: 'UserName',
  store: (model) => model.users,
  inlineQuota: 2048,
  attachedQuotaName: 'PoliciesPerUser',
};

const GROUP: HolderKind = {
  label: 'group',
  nameParam: 'GroupName',
  store: (model) => model.groups,
  inlineQuota: 5120,
  attachedQuotaName: 'PoliciesPerGroup',
};

/** Replaces a same-named inline policy. https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html */
export const putUserPolicy = holder.putPolicy(USER);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUserPolicy.html */
export const getUserPolicy = holder.getPolicy(USER);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUserPolicies.html */
export const listUserPolicies = holder.listPolicies(USER);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUserPolicy.html */
export const deleteUserPolicy = holder.deletePolicy(USER);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachUserPolicy.html */
export const attachUserPolicy = holder.attachPolicy(USER);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachUserPolicy.html */
export const detachUserPolicy = holder.detachPolicy(USER);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedUserPolicies.html */
export const listAttachedUserPolicies = holder.listAttachedPolicies(USER);

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutGroupPolicy.html */
export const putGroupPolicy = holder.putPolicy(GROUP);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroupPolicy.html */
export const getGroupPolicy = holder.getPolicy(GROUP);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupPolicies.html */
export const listGroupPolicies = holder.listPolicies(GROUP);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroupPolicy.html */
export const deleteGroupPolicy = holder.deletePolicy(GROUP);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachGroupPolicy.html */
export const attachGroupPolicy = holder.attachPolicy(GROUP);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachGroupPolicy.html */
export const detachGroupPolicy = holder.detachPolicy(GROUP);
/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedGroupPolicies.html */
export const listAttachedGroupPolicies = holder.listAttachedPolicies(GROUP);
