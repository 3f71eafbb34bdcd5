import { parsePolicy, type ConditionClause, type PolicyStatement } from '../../iam/policy-document.ts';

/** Condition keys whose fixed values make a `*` principal non-public [DOC "The meaning of public"]. */
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceOwner',
    'aws:SourceAccount',
    's3:x-amz-server-side-encryption-aws-kms-key-id',
    'aws:userid',
    'aws:PrincipalOrgID',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

/** Operators that pin a key to the listed values (no negation, no IfExists, no set prefix). */
const FIXING_OPERATORS = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
  'IpAddress',
]);

const hasWildcard = (v: string) => v.includes('*') || v.includes('?');

/**
 * Whether a bucket policy is public, by AWS's published rules: it is public unless every Allow
 * is confined to fixed (wildcard-free) principals, or to fixed values of the restricting condition
 * keys. One public statement makes the whole policy public. The one decision shared by
 * GetBucketPolicyStatus, BlockPublicPolicy and RestrictPublicBuckets.
 * UNVERIFIED: an `aws:SourceIp` range wider than /8 (IPv4) or /32 (IPv6) counts as public;
 * `aws:userid` values of the form `AROLEID:*` are public as the page says.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
export function isPublicPolicy(policyJson: string): boolean {
  let statements: PolicyStatement[];
  try {
    statements = parsePolicy(policyJson).statements;
  } catch {
    return false;
  }
  return statements.some(
    (s) => s.effect === 'Allow' && !principalIsFixed(s) && !conditionsRestrict(s.conditions),
  );
}

function principalIsFixed(s: PolicyStatement): boolean {
  if (s.notPrincipal || !s.principal) return false;
  const p = s.principal;
  if (p.any) return false;
  const all = [...p.aws, ...p.service, ...p.federated, ...p.canonicalUser];
  return all.length > 0 && !all.some(hasWildcard);
}

function conditionsRestrict(clauses: ConditionClause[]): boolean {
  return clauses.some((c) => {
    if (!FIXING_OPERATORS.has(c.operator) || !RESTRICTING_KEYS.has(c.key.toLowerCase())) return false;
    if (c.values.length === 0 || c.values.some(hasWildcard)) return false;
    if (c.key.toLowerCase() === 'aws:sourceip') return c.values.every(narrowRange);
    return true;
  });
}

function narrowRange(cidr: string): boolean {
  const [address, bits] = cidr.split('/');
  const v6 = (address ?? '').includes(':');
  if (bits === undefined) return true;
  return Number(bits) >= (v6 ? 32 : 8);
}
