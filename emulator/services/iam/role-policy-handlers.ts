import { AwsError } from '../../core/aws-error.ts';
import type { HandlerInput } from './role-handlers.ts';
import { encodePolicy, members, paginate } from './shapes.ts';
import { checkPolicyName, required, validateIdentityPolicy, validationError } from './validation.ts';

/** IAM counts the inline policies of a role together (non-whitespace characters). */
const INLINE_QUOTA = 10240;
const ATTACHED_QUOTA = 10;

const noSuchRolePolicy = (name: string) =>
  new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, { status: 404 });

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html */
export async function putRolePolicy({ model, params }: HandlerInput) {
  const roleName = required(params, 'RoleName');
  const policyName = required(params, 'PolicyName');
  const document = required(params, 'PolicyDocument');
  checkPolicyName(policyName);
  const role = model.roles.get(roleName);
  validateIdentityPolicy(document);
  const others = Object.entries(role.inlinePolicies).filter(([name]) => name !== policyName);
  const size = [...others.map(([, doc]) => doc), document].join('').replace(/\s/g, '').length;
  if (size > INLINE_QUOTA)
    throw new AwsError(
      'LimitExceeded',
      `Maximum policy size of ${INLINE_QUOTA} bytes exceeded for role ${role.name}`,
      {
        status: 409,
      },
    );
  await model.roles.update(roleName, (r) => {
    // Defined, not assigned: a policy may be called `__proto__`.
    Object.defineProperty(r.inlinePolicies, policyName, {
      value: document,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html */
export async function getRolePolicy({ model, params }: HandlerInput) {
  const role = model.roles.get(required(params, 'RoleName'));
  const policyName = required(params, 'PolicyName');
  // Own keys only: a policy named `constructor` or `__proto__` is a name like any other.
  const document = Object.hasOwn(role.inlinePolicies, policyName)
    ? role.inlinePolicies[policyName]
    : undefined;
  if (document === undefined) throw noSuchRolePolicy(policyName);
  return { RoleName: role.name, PolicyName: policyName, PolicyDocument: encodePolicy(document) };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html */
export async function listRolePolicies({ model, params }: HandlerInput) {
  const role = model.roles.get(required(params, 'RoleName'));
  const { page, ...more } = paginate(Object.keys(role.inlinePolicies).sort(), params);
  return { PolicyNames: members(page), ...more };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRolePolicy.html */
export async function deleteRolePolicy({ model, params }: HandlerInput) {
  const roleName = required(params, 'RoleName');
  const policyName = required(params, 'PolicyName');
  if (!Object.hasOwn(model.roles.get(roleName).inlinePolicies, policyName))
    throw noSuchRolePolicy(policyName);
  await model.roles.update(roleName, (r) => {
    delete r.inlinePolicies[policyName];
  });
  return undefined;
}

function policyArn(params: HandlerInput['params']): string {
  const arn = required(params, 'PolicyArn');
  // Recorded from IAM for a bare name: "Invalid ARN:  Could not be parsed!" (two spaces) [§12 REC].
  if (!arn.startsWith('arn:')) throw validationError('Invalid ARN:  Could not be parsed!');
  if (!/^arn:aws:iam::(aws|\d{12}):policy\/./.test(arn)) throw validationError(`ARN ${arn} is not valid.`);
  return arn;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html */
export async function attachRolePolicy({ model, params }: HandlerInput) {
  const roleName = required(params, 'RoleName');
  const arn = policyArn(params);
  const role = model.roles.get(roleName);
  model.policies.get(arn);
  if (role.attachedPolicyArns.includes(arn)) return undefined;
  if (role.attachedPolicyArns.length >= ATTACHED_QUOTA)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for PoliciesPerRole: ${ATTACHED_QUOTA}`, {
      status: 409,
    });
  await model.roles.update(roleName, (r) => {
    r.attachedPolicyArns.push(arn);
  });
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachRolePolicy.html */
export async function detachRolePolicy({ model, params }: HandlerInput) {
  const roleName = required(params, 'RoleName');
  const arn = policyArn(params);
  if (!model.roles.get(roleName).attachedPolicyArns.includes(arn))
    throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, { status: 404 });
  await model.roles.update(roleName, (r) => {
    r.attachedPolicyArns = r.attachedPolicyArns.filter((a) => a !== arn);
  });
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedRolePolicies.html */
export async function listAttachedRolePolicies({ model, params }: HandlerInput) {
  const role = model.roles.get(required(params, 'RoleName'));
  const prefix = params.get('PathPrefix') ?? '/';
  const attached = role.attachedPolicyArns
    .map((arn) => model.policies.find(arn))
    .filter((p) => p !== undefined && p.path.startsWith(prefix))
    .map((p) => ({ PolicyName: p!.name, PolicyArn: p!.arn }));
  const { page, ...more } = paginate(attached, params);
  return { AttachedPolicies: members(page), ...more };
}
