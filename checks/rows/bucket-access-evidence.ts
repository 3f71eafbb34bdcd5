import {
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetObjectAclCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import type { CheckContext } from '../context.ts';
import { isAwsError } from '../lib/aws.ts';

type Unavailable = { unavailable: string };
const unavailable = (err: unknown): Unavailable => ({ unavailable: (err as Error).name });

/** What explains a public bucket: the policy's status (and its public statements) and Object Ownership. */
export interface AccessEvidence {
  /** GetBucketPolicyStatus; `null` when the bucket has no policy. */
  policyPublic: boolean | null | Unavailable;
  /** The Allow statements that name everyone (`*`), as `Sid: actions` — what a hint can point at. */
  publicStatements: string[];
  /** The Object Ownership setting; `null` without ownership controls (ACLs then apply). */
  ownership: string | null | Unavailable;
}

export async function accessEvidence(ctx: CheckContext): Promise<AccessEvidence> {
  const Bucket = ctx.target.bucket;
  const [policyPublic, publicStatements, ownership] = await Promise.all([
    ctx.aws.s3
      .send(new GetBucketPolicyStatusCommand({ Bucket }))
      .then((r) => r.PolicyStatus?.IsPublic === true)
      .catch((err: unknown) => (isAwsError(err, 'NoSuchBucketPolicy') ? null : unavailable(err))),
    ctx.aws.s3
      .send(new GetBucketPolicyCommand({ Bucket }))
      .then((r) => statementsForEveryone(r.Policy ?? ''))
      .catch(() => []),
    ctx.aws.s3
      .send(new GetBucketOwnershipControlsCommand({ Bucket }))
      .then((r) => r.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null)
      .catch((err: unknown) => (isAwsError(err, 'OwnershipControlsNotFoundError') ? null : unavailable(err))),
  ]);
  return { policyPublic, publicStatements, ownership };
}

/** Allow statements whose Principal is `*` or `{"AWS": "*"}`, described for a hint. */
function statementsForEveryone(policy: string): string[] {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return [];
  }
  const list = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Array<
    Record<string, unknown>
  >;
  return list.flatMap((s, i) => {
    if (!s || s['Effect'] !== 'Allow') return [];
    const p = s['Principal'] as unknown;
    const aws = typeof p === 'object' && p !== null ? (p as Record<string, unknown>)['AWS'] : undefined;
    const everyone = p === '*' || aws === '*' || (Array.isArray(aws) && aws.includes('*'));
    if (!everyone) return [];
    const actions = ([] as unknown[]).concat(s['Action'] ?? s['NotAction'] ?? []).join(', ');
    return [`${typeof s['Sid'] === 'string' ? s['Sid'] : `statement ${i + 1}`} (${actions})`];
  });
}

/** Up to `max` objects under the upload prefix that are not the checker's own: the student's uploads. */
export async function studentUploads(ctx: CheckContext, max = 3): Promise<string[]> {
  try {
    const out = await ctx.aws.s3.send(
      new ListObjectsV2Command({ Bucket: ctx.target.bucket, Prefix: ctx.target.uploadPrefix, MaxKeys: 50 }),
    );
    return (out.Contents ?? [])
      .map((o) => o.Key ?? '')
      .filter((k) => k && !k.includes('lab-check-'))
      .slice(0, max);
  } catch {
    return [];
  }
}

/** The grants an object's ACL gives everyone (`AllUsers READ`), or none / unavailable. */
export async function publicGrants(ctx: CheckContext, key: string): Promise<string[]> {
  try {
    const out = await ctx.aws.s3.send(new GetObjectAclCommand({ Bucket: ctx.target.bucket, Key: key }));
    return (out.Grants ?? []).flatMap((g) => {
      const uri = g.Grantee?.URI ?? '';
      return /\/(AllUsers|AuthenticatedUsers)$/.test(uri) ? [`${uri.split('/').pop()} ${g.Permission}`] : [];
    });
  } catch {
    return [];
  }
}
