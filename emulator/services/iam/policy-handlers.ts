import { AwsError } from '../../core/aws-error.ts';
import type { HandlerInput } from './role-handlers.ts';
import { members, paginate, policyShape, readTags, versionShape } from './shapes.ts';
import {
  checkMember,
  checkPath,
  checkPolicyName,
  checkTags,
  required,
  validateIdentityPolicy,
  validationError,
} from './validation.ts';

const MANAGED_POLICY_QUOTA = 6144;

function checkedDocument(params: HandlerInput['params']): string {
  const document = required(params, 'PolicyDocument');
  validateIdentityPolicy(document);
  if (document.replace(/\s/g, '').length > MANAGED_POLICY_QUOTA)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_QUOTA}`, {
      status: 409,
    });
  return document;
}

function policyArn(params: HandlerInput['params']): string {
  const arn = required(params, 'PolicyArn');
  if (!arn.startsWith('arn:')) throw validationError(`ARN ${arn} is not valid.`);
  return arn;
}

function versionId(params: HandlerInput['params']): string {
  const id = required(params, 'VersionId');
  checkMember(id, 'versionId', /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/, 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?', 128);
  return id;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html */
export async function createPolicy({ model, params }: HandlerInput) {
  const name = required(params, 'PolicyName');
  checkPolicyName(name);
  const path = params.get('Path') ?? '/';
  checkPath(path);
  const document = checkedDocument(params);
  const tags = readTags(params);
  checkTags(tags);
  const description = params.get('Description');
  const policy = await model.policies.create({
    name,
    path,
    document,
    tags,
    ...(description === undefined ? {} : { description }),
  });
  return { Policy: policyShape(policy, 0, false) };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html */
export async function getPolicy({ model, params }: HandlerInput) {
  const policy = model.policies.get(policyArn(params));
  return { Policy: policyShape(policy, model.attachmentCount(policy.arn), true) };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html */
export async function listPolicies({ model, params }: HandlerInput) {
  const scope = params.get('Scope') ?? 'All';
  const onlyAttached = params.get('OnlyAttached') === 'true';
  const prefix = params.get('PathPrefix') ?? '/';
  const listed = model.policies.list().filter((p) => {
    if (scope === 'AWS' && !p.awsManaged) return false;
    if (scope === 'Local' && p.awsManaged) return false;
    if (onlyAttached && model.attachmentCount(p.arn) === 0) return false;
    return p.path.startsWith(prefix);
  });
  const { page, ...more } = paginate(listed, params);
  return {
    Policies: members(page.map((p) => policyShape(p, model.attachmentCount(p.arn), false))),
    ...more,
  };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html */
export async function deletePolicy({ model, params }: HandlerInput) {
  const arn = policyArn(params);
  await model.policies.delete(arn, model.attachmentCount(arn));
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html */
export async function getPolicyVersion({ model, params }: HandlerInput) {
  const arn = policyArn(params);
  const id = versionId(params);
  const version = model.policies.version(arn, id);
  return { PolicyVersion: versionShape(model.policies.get(arn), version, true) };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html */
export async function createPolicyVersion({ model, params }: HandlerInput) {
  const arn = policyArn(params);
  model.policies.get(arn);
  const document = checkedDocument(params);
  const version = await model.policies.createVersion(arn, document, params.get('SetAsDefault') === 'true');
  return { PolicyVersion: versionShape(model.policies.get(arn), version, false) };
}

/** Newest first, as IAM lists them. https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicyVersions.html */
export async function listPolicyVersions({ model, params }: HandlerInput) {
  const policy = model.policies.get(policyArn(params));
  const versions = [...policy.versions].reverse().map((v) => versionShape(policy, v, false));
  const { page, ...more } = paginate(versions, params);
  return { Versions: members(page), ...more };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicyVersion.html */
export async function deletePolicyVersion({ model, params }: HandlerInput) {
  await model.policies.deleteVersion(policyArn(params), versionId(params));
  return undefined;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetDefaultPolicyVersion.html */
export async function setDefaultPolicyVersion({ model, params }: HandlerInput) {
  await model.policies.setDefaultVersion(policyArn(params), versionId(params));
  return undefined;
}
