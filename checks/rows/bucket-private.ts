import { GetPublicAccessBlockCommand, type PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import { fail } from '../check-failure.ts';
import type { CheckContext } from '../context.ts';
import { hint } from '../hints.ts';
import { bucketUrl, isAwsError } from '../lib/aws.ts';
import { request } from '../lib/http.ts';
import { checkerPost } from '../lib/probe-file.ts';
import type { Check } from '../types.ts';
import { accessEvidence, publicGrants, studentUploads } from './bucket-access-evidence.ts';

export const bucketPrivate: Check = {
  id: 'bucket-private',
  title: 'Anonymous reads are refused',
  step: 'Keep the bucket private',
  needs: [],
  async run(ctx) {
    const base = bucketUrl(ctx.aws.target, ctx.target.bucket);
    const [{ key, answer }, publicAccessBlock, access, uploads] = await Promise.all([
      checkerPost(ctx, 'private'),
      publicAccess(ctx),
      accessEvidence(ctx),
      studentUploads(ctx),
    ]);
    if (answer.status >= 300)
      throw new Error(`could not upload a probe object: ${answer.status} ${answer.error?.code ?? ''}`);
    const urlOf = (k: string) => `${base}/${k.split('/').map(encodeURIComponent).join('/')}`;
    const objectUrl = urlOf(key);
    const listUrl = `${base}/?list-type=2`;
    // Unsigned requests: what anyone on the internet gets — for the checker's probe and for
    // uploads already in the bucket (an ACL can make single objects public).
    const [read, list, ...others] = await Promise.all([
      request(objectUrl),
      request(listUrl),
      ...uploads.map((k) => request(urlOf(k))),
    ]);
    const evidence = {
      publicAccessBlock,
      ...access,
      anonymousGet: { url: objectUrl, status: read.status },
      anonymousList: { url: listUrl, status: list.status },
      ...(uploads.length
        ? { anonymousGetUploads: uploads.map((k, i) => ({ key: k, status: others[i]!.status })) }
        : {}),
    };
    const openIndex = others.findIndex((r) => r.status < 300);
    if (read.status < 300 || openIndex >= 0) {
      const [openKey, status] =
        read.status < 300 ? [key, read.status] : [uploads[openIndex]!, others[openIndex]!.status];
      const url = urlOf(openKey);
      const grants = await publicGrants(ctx, openKey);
      if (grants.length > 0 && access.ownership !== 'BucketOwnerEnforced')
        fail(
          `Anyone can read ${url} (${status}): its ACL grants ${grants.join(', ')}.`,
          hint('bucket-private.public-acl', {
            url,
            status,
            grants,
            ownership: ownershipName(access.ownership),
          }),
          evidence,
        );
      fail(
        `Anyone can read ${url} (${status}).`,
        hint('bucket-private.public-read', { url, status, statements: access.publicStatements }),
        evidence,
      );
    }
    if (list.status < 300)
      fail(
        `Anyone can list ${base} (${list.status}).`,
        hint('bucket-private.public-list', { url: listUrl, status: list.status }),
        evidence,
      );
    const off = blockPublicAccessOff(publicAccessBlock);
    if (off.length > 0) {
      const bucket = ctx.target.bucket;
      if (access.policyPublic === true)
        fail(
          `Block Public Access is off for ${bucket} (${off.join(', ')}) and its bucket policy is public.`,
          hint('bucket-private.public-policy', { bucket, off, statements: access.publicStatements }),
          evidence,
        );
      fail(
        `Block Public Access is off for ${bucket} (${off.join(', ')}).`,
        hint('bucket-private.block-public-access-off', { bucket, off }),
        evidence,
      );
    }
    return {
      summary: `anonymous GET answered ${read.status}, anonymous list ${list.status}; Block Public Access on`,
      ...evidence,
    };
  },
};

/** How a hint names the ownership setting. */
function ownershipName(ownership: Awaited<ReturnType<typeof accessEvidence>>['ownership']): string {
  if (ownership === null) return 'no ownership controls (ACLs enabled)';
  return typeof ownership === 'string' ? ownership : 'unknown';
}

const SETTINGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

/** The bucket's Block Public Access settings; `null` when it has none, `unavailable` when the checker may not read them. */
async function publicAccess(
  ctx: CheckContext,
): Promise<PublicAccessBlockConfiguration | null | { unavailable: string }> {
  try {
    const out = await ctx.aws.s3.send(new GetPublicAccessBlockCommand({ Bucket: ctx.target.bucket }));
    return out.PublicAccessBlockConfiguration ?? null;
  } catch (err) {
    if (isAwsError(err, 'NoSuchPublicAccessBlockConfiguration')) return null;
    return { unavailable: (err as Error).name };
  }
}

/** The settings that are off; none when the checker could not read them (it judges by behaviour then). */
function blockPublicAccessOff(config: Awaited<ReturnType<typeof publicAccess>>): string[] {
  if (config && 'unavailable' in config) return [];
  return SETTINGS.filter((name) => config?.[name] !== true);
}
