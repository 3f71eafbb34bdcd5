import { AwsError } from '../../core/aws-error.ts';
import { memberList } from '../../protocols/query.ts';
import type { HandlerInput } from './role-handlers.ts';
import { members, paginate, readTags } from './shapes.ts';
import { checkTags, required } from './validation.ts';

/** Adds or overwrites tags (keys compared ignoring case), as TagRole does. https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagUser.html */
export async function tagUser({ model, params }: HandlerInput) {
  const name = required(params, 'UserName');
  model.users.get(name);
  const tags = readTags(params);
  if (!tags.length) required(params, 'Tags');
  checkTags(tags);
  await model.users.update(name, (user) => {
    for (const tag of tags) {
      const existing = user.tags.find((t) => t.Key.toLowerCase() === tag.Key.toLowerCase());
      if (existing) existing.Value = tag.Value;
      else user.tags.push(tag);
    }
    if (user.tags.length > 50)
      throw new AwsError('LimitExceeded', 'The number of tags has reached the maximum limit.', {
        status: 409,
      });
  });
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagUser.html */
export async function untagUser({ model, params }: HandlerInput) {
  const name = required(params, 'UserName');
  model.users.get(name);
  const keys = memberList(params, 'TagKeys').map((k) => k.toLowerCase());
  await model.users.update(name, (user) => {
    user.tags = user.tags.filter((t) => !keys.includes(t.Key.toLowerCase()));
  });
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUserTags.html */
export async function listUserTags({ model, params }: HandlerInput) {
  const user = model.users.get(required(params, 'UserName'));
  const { page, ...more } = paginate(user.tags, params);
  return { Tags: members(page), ...more };
}
