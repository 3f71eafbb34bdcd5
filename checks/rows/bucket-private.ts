import { GetPublicAccessBlockCommand, type PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import { fail } from '../check-failure.ts';
import type { CheckContext } from '../context.ts';
import { hint } from '../hints.ts';
import { bucketUrl, isAwsError } from '../lib/aws.ts';
import { request } from '../lib/http.ts';
import { checkerPost } from '../lib/probe-file.ts';
import type { Check } from '../types.ts';

export const bucketPrivate: Check = {
  id: 'bucket-private',
  title: 'Anonymous reads are refused',
  step: 'Keep the bucket private',
  needs: [],
  async run(ctx) {
    const base = bucketUrl(ctx.aws.target, ctx.target.bucket);
    const [{ key, answer }, publicAccessBlock] = await Promise.all([
      checkerPost(ctx, 'private'),
      publicAccess(ctx),
    ]);
    if (answer.status >= 300)
      throw new Error(`could not upload a probe object: ${answer.status} ${answer.error?.code ?? ''}`);
    const objectUrl = `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const listUrl = `${base}/?list-type=2`;
    // Unsigned requests: what anyone on the internet gets.
    const [read, list] = await Promise.all([request(objectUrl), request(listUrl)]);
    const evidence = {
      publicAccessBlock,
      anonymousGet: { url: objectUrl, status: read.status },
      anonymousList: { url: listUrl, status: list.status },
    };
    if (read.status < 300)
      fail(
        `Anyone can read ${objectUrl} (${read.status}).`,
        hint('bucket-private.public-read', { url: objectUrl, status: read.status }),
        evidence,
      );
    if (list.status < 300)
      fail(
        `Anyone can list ${base} (${list.status}).`,
        hint('bucket-private.public-list', { url: listUrl, status: list.status }),
        evidence,
      );
    const off = blockPublicAccessOff(publicAccessBlock);
    if (off.length > 0) {
      const bucket = ctx.target.bucket;
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
