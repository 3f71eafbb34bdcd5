import { AwsError } from '../../core/aws-error.ts';
import type { IamModel } from './iam-model.ts';
import type { HandlerInput } from './role-handlers.ts';
import { encodePolicy, members, paginate } from './shapes.ts';
import type { NamedStore, PolicyHolder } from './user-store.ts';
import { checkPolicyName, required, validateIdentityPolicy, validationError } from './validation.ts';

/** What differs between a user's and a group's identity policies. */
export interface HolderKind {
  /** `user` or `group`, as IAM's messages name it. */
  label: 'user' | 'group';
  /** The request parameter and the result member: `UserName` / `GroupName`. */
  nameParam: 'UserName' | 'GroupName';
  store(model: IamModel): NamedStore<PolicyHolder>;
  /**
   * Aggregate inline-policy size in non-whitespace characters: user 2,048, group 5,120
   * (IAM quotas, from memory [UNVERIFIED]; §12).
   */
  inlineQuota: number;
  /** The quota name in `Cannot exceed quota for PoliciesPerUser: 10`. */
  attachedQuotaName: string;
}

const ATTACHED_QUOTA = 10;

/** A Put*Policy / Attach*Policy handler for one kind of holder. */
type Handler = (input: HandlerInput) => Promise<unknown>;

const noSuchInline = (kind: HolderKind, name: string) =>
  // [UNVERIFIED] wording, moto's for roles with the kind swapped in (§12).
  new AwsError('NoSuchEntity', `The ${kind.label} policy with name ${name} cannot be found.`, {
    status: 404,
  });

/** Attach/Detach: recorded from IAM, a bare name is "Invalid ARN:  Could not be parsed!" (two spaces). */
function policyArn(params: HandlerInput['params']): string {
  const arn = required(params, 'PolicyArn');
  if (!/^arn:[^:]*:[^:]*:[^:]*:[^:]*:./.test(arn))
    throw validationError('Invalid ARN:  Could not be parsed!');
  return arn;
}

/** An inline policy by name: own entries only (`constructor` is a valid policy name). */
const inlinePolicy = (holder: PolicyHolder, name: string): string | undefined =>
  Object.hasOwn(holder.inlinePolicies, name) ? holder.inlinePolicies[name] : undefined;

export function putPolicy(kind: HolderKind): Handler {
  return async ({ model, params }) => {
    const holderName = required(params, kind.nameParam);
    const policyName = required(params, 'PolicyName');
    const document = required(params, 'PolicyDocument');
    checkPolicyName(policyName);
    const holder = kind.store(model).get(holderName);
    validateIdentityPolicy(document);
    const others = Object.entries(holder.inlinePolicies).filter(([name]) => name !== policyName);
    const size = [...others.map(([, doc]) => doc), document].join('').replace(/\s/g, '').length;
    if (size > kind.inlineQuota)
      // [UNVERIFIED] wording: the role variant's, with the kind swapped in.
      throw new AwsError(
        'LimitExceeded',
        `Maximum policy size of ${kind.inlineQuota} bytes exceeded for ${kind.label} ${holder.name}`,
        { status: 409 },
      );
    await kind.store(model).update(holder.name, (h) => {
      // Defined, not assigned: a policy may be called `__proto__`.
      Object.defineProperty(h.inlinePolicies, policyName, {
        value: document,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    });
    return undefined;
  };
}

export function getPolicy(kind: HolderKind): Handler {
  return async ({ model, params }) => {
    const holder = kind.store(model).get(required(params, kind.nameParam));
    const policyName = required(params, 'PolicyName');
    const document = inlinePolicy(holder, policyName);
    if (document === undefined) throw noSuchInline(kind, policyName);
    return { [kind.nameParam]: holder.name, PolicyName: policyName, PolicyDocument: encodePolicy(document) };
  };
}

export function listPolicies(kind: HolderKind): Handler {
  return async ({ model, params }) => {
    const holder = kind.store(model).get(required(params, kind.nameParam));
    const { page, ...more } = paginate(Object.keys(holder.inlinePolicies).sort(), params);
    return { PolicyNames: members(page), ...more };
  };
}

export function deletePolicy(kind: HolderKind): Handler {
  return async ({ model, params }) => {
    const holder = kind.store(model).get(required(params, kind.nameParam));
    const policyName = required(params, 'PolicyName');
    if (inlinePolicy(holder, policyName) === undefined) throw noSuchInline(kind, policyName);
    await kind.store(model).update(holder.name, (h) => {
      delete h.inlinePolicies[policyName];
    });
    return undefined;
  };
}

export function attachPolicy(kind: HolderKind): Handler {
  return async ({ model, params }) => {
    const holderName = required(params, kind.nameParam);
    const arn = policyArn(params);
    const holder = kind.store(model).get(holderName);
    model.policies.get(arn);
    if (holder.attachedPolicyArns.includes(arn)) return undefined;
    if (holder.attachedPolicyArns.length >= ATTACHED_QUOTA)
      throw new AwsError(
        'LimitExceeded',
        `Cannot exceed quota for ${kind.attachedQuotaName}: ${ATTACHED_QUOTA}`,
        {
          status: 409,
        },
      );
    await kind.store(model).update(holder.name, (h) => {
      h.attachedPolicyArns.push(arn);
    });
    return undefined;
  };
}

export function detachPolicy(kind: HolderKind): Handler {
  return async ({ model, params }) => {
    const holderName = required(params, kind.nameParam);
    const arn = policyArn(params);
    const holder = kind.store(model).get(holderName);
    // Recorded from IAM: "Policy <arn> was not found."
    if (!holder.attachedPolicyArns.includes(arn))
      throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, { status: 404 });
    await kind.store(model).update(holder.name, (h) => {
      h.attachedPolicyArns = h.attachedPolicyArns.filter((a) => a !== arn);
    });
    return undefined;
  };
}

export function listAttachedPolicies(kind: HolderKind): Handler {
  return async ({ model, params }) => {
    const holder = kind.store(model).get(required(params, kind.nameParam));
    const prefix = params.get('PathPrefix') ?? '/';
    const attached = holder.attachedPolicyArns.flatMap((arn) => {
      const p = model.policies.find(arn);
      return p && p.path.startsWith(prefix) ? [{ PolicyName: p.name, PolicyArn: p.arn }] : [];
    });
    const { page, ...more } = paginate(attached, params);
    return { AttachedPolicies: members(page), ...more };
  };
}
