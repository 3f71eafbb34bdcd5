import { AwsError } from '../../../core/aws-error.ts';
import type { IamDirectory } from '../../../core/env.ts';
import {
  parsePolicy,
  PolicyError,
  type ParsedPolicy,
  type PolicyStatement,
} from '../../iam/policy-document.ts';
import { wildcardMatch } from '../../iam/wildcard.ts';

/** "Bucket policies are limited to 20 KB in size." [DOC using-iam-policies] */
export const MAX_POLICY_BYTES = 20 * 1024;

const malformed = (message: string) => new AwsError('MalformedPolicy', message, { status: 400 });

/**
 * Refuses a bucket policy S3 would refuse, with its `MalformedPolicy` texts [§8.1]:
 * not JSON, no Statement, a resource outside this bucket, a principal that is not one, an
 * action that applies to none of the statement's resources. Texts not seen from AWS
 * (UNVERIFIED, kept here): over 20 KB → 400 `PolicyTooLarge` "Policy exceeds the maximum allowed
 * document size."; missing Effect/Principal/Action/Resource → "Missing required field <name>";
 * a non-S3 action is taken to apply to no resource; structure errors keep IAM's wording.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 */
export function validateBucketPolicy(text: string, bucket: string, iam: IamDirectory | undefined): void {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES)
    throw new AwsError('PolicyTooLarge', 'Policy exceeds the maximum allowed document size.', {
      status: 400,
    });
  if (!text.startsWith('{')) throw malformed("Policies must be valid JSON and the first byte must be '{'");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  if ((raw as Record<string, unknown>)['Statement'] === undefined)
    throw malformed('Missing required field Statement');
  let policy: ParsedPolicy;
  try {
    policy = parsePolicy(text);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    if (err.message === 'Policy statement must contain effect')
      throw malformed('Missing required field Effect');
    if (err.message.startsWith('Invalid principal')) throw malformed('Invalid principal in policy');
    throw malformed(err.message);
  }
  for (const s of policy.statements) checkStatement(s, bucket, iam);
}

function checkStatement(s: PolicyStatement, bucket: string, iam: IamDirectory | undefined): void {
  const principal = s.principal ?? s.notPrincipal;
  if (!principal) throw malformed('Missing required field Principal');
  if (!s.actions && !s.notActions) throw malformed('Missing required field Action');
  if (!s.resources && !s.notResources) throw malformed('Missing required field Resource');
  if (!principal.any && !principalsValid(principal.aws, principal.service, principal.canonicalUser, iam))
    throw malformed('Invalid principal in policy');
  const kinds = new Set<'bucket' | 'object'>();
  for (const r of s.resources ?? s.notResources ?? []) {
    const kind = resourceKind(r, bucket);
    if (!kind) throw malformed('Policy has invalid resource');
    for (const k of kind) kinds.add(k);
  }
  if (s.actions && !s.actions.some((a) => actionKinds(a).some((k) => kinds.has(k))))
    throw malformed('Action does not apply to any resource(s) in statement');
}

function principalsValid(
  aws: string[],
  services: string[],
  canonical: string[],
  iam: IamDirectory | undefined,
) {
  const awsOk = aws.every((p) => {
    if (p === '*' || /^\d{12}$/.test(p) || /^arn:aws:iam::\d{12}:root$/.test(p)) return true;
    if (/^arn:aws:iam::\d{12}:user\/.+/.test(p) || /^arn:aws:sts::\d{12}:assumed-role\/[^/]+\/.+/.test(p))
      return true;
    // A role must exist: AWS resolves it to its unique id when the policy is stored.
    if (/^arn:aws:iam::\d{12}:role\/.+/.test(p)) return iam?.getRole(p) !== undefined;
    return false;
  });
  const serviceOk = services.every((s) => /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(s));
  const canonicalOk = canonical.every((c) => /^[0-9a-f]{64}$/.test(c));
  return awsOk && serviceOk && canonicalOk;
}

/** What a Resource names in this bucket: the bucket, its objects, or both (a wildcard); none if outside. */
function resourceKind(resource: string, bucket: string): Array<'bucket' | 'object'> | undefined {
  const m = /^arn:aws:s3:::([^/]+)(\/.*)?$/.exec(resource);
  if (!m || !wildcardMatch(m[1]!, bucket)) return undefined;
  if (m[2] !== undefined) return ['object'];
  return m[1]!.endsWith('*') ? ['bucket', 'object'] : ['bucket'];
}

const OBJECT_ACTION =
  /^s3:(\w*Object\w*|AbortMultipartUpload|ListMultipartUploadParts|BypassGovernanceRetention)$/i;

/** The resource kinds an action applies to; a wildcard action may apply to both. */
function actionKinds(action: string): Array<'bucket' | 'object'> {
  if (action === '*' || /^s3:.*[*?]/i.test(action)) return ['bucket', 'object'];
  if (!/^s3:/i.test(action)) return [];
  return OBJECT_ACTION.test(action) && !/^s3:ListBucket/i.test(action) ? ['object'] : ['bucket'];
}
