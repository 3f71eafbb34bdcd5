import { GetBucketCorsCommand } from '@aws-sdk/client-s3';
import { fail, failMaybePropagating } from '../check-failure.ts';
import type { CheckContext } from '../context.ts';
import { hint } from '../hints.ts';
import { bucketUrl, isAwsError } from '../lib/aws.ts';
import { corsHeaders, headerList, preflight } from '../lib/http.ts';
import { checkerPost } from '../lib/probe-file.ts';
import { judgeBucketCors } from '../lib/s3-cors.ts';
import type { Check } from '../types.ts';

export const bucketCors: Check = {
  id: 'bucket-cors',
  title: 'Browser can POST directly to S3',
  step: 'Update S3 bucket CORS',
  needs: [],
  async run(ctx) {
    const { bucket, frontendOrigin: origin } = ctx.target;
    const url = bucketUrl(ctx.aws.target, bucket);
    const [rules, live, post] = await Promise.all([
      corsRules(ctx),
      preflight(url, origin, 'POST'),
      checkerPost(ctx, 'bucket-cors', { Origin: origin }).then((p) => p.answer),
    ]);
    const evidence = {
      corsRules: rules ?? null,
      preflight: { url, origin, status: live.status, headers: corsHeaders(live.headers) },
      post: { status: post.status, headers: corsHeaders(post.headers) },
    };
    if (!rules) {
      fail(
        `Bucket ${bucket} has no CORS configuration.`,
        hint('bucket-cors.missing', { bucket, origin }),
        evidence,
      );
    }
    const verdict = judgeBucketCors(rules, origin);
    if (verdict.problem === 'origin-missing') {
      const allowed = rules.flatMap((r) => r.AllowedOrigins ?? []);
      const slashed = allowed.find((o) => o !== origin && o.replace(/\/+$/, '') === origin);
      if (slashed) {
        fail(
          `No CORS rule allows origin ${origin}.`,
          hint('bucket-cors.origin-trailing-slash', { seen: slashed, origin }),
          evidence,
        );
      }
      fail(
        `No CORS rule allows origin ${origin}.`,
        hint('bucket-cors.origin-missing', { allowed, origin }),
        evidence,
      );
    }
    if (verdict.problem === 'no-post') {
      const methods = [...new Set(verdict.originRules.flatMap((r) => r.AllowedMethods ?? []))];
      fail(
        `The CORS rule for ${origin} allows [${methods.join(', ')}], not POST.`,
        hint('bucket-cors.no-post', { origin, methods }),
        evidence,
      );
    }
    if (verdict.problem === 'etag-not-exposed') {
      const exposed = verdict.rule?.ExposeHeaders ?? [];
      fail(
        `The CORS rule for ${origin} does not expose ETag.`,
        hint('bucket-cors.etag-not-exposed', { exposed }),
        evidence,
      );
    }
    const allowOrigin = live.headers['access-control-allow-origin'];
    const exposed = headerList(live.headers['access-control-expose-headers']);
    const postOrigin = post.headers['access-control-allow-origin'];
    const originOk = (v: string | undefined) => v === '*' || v === origin;
    if (
      live.status !== 200 ||
      !originOk(allowOrigin) ||
      !(exposed.includes('etag') || exposed.includes('*'))
    ) {
      const e = /<Code>([^<]*)<\/Code>[\s\S]*<Message>([^<]*)<\/Message>/.exec(live.body);
      // The rules are right but S3 does not serve them yet: AWS may still be applying the change (§11.3).
      failMaybePropagating(
        `S3 answered the preflight for POST from ${origin} with ${live.status}${allowOrigin ? '' : ' and no access-control-allow-origin'}.`,
        hint('bucket-cors.preflight-rejected', {
          status: live.status,
          code: e?.[1] ?? '',
          message: e?.[2] ?? '',
        }),
        evidence,
      );
    }
    if (post.status >= 300 || !originOk(postOrigin)) {
      failMaybePropagating(
        `An upload POST from ${origin} answered ${post.status}${postOrigin ? '' : ' without access-control-allow-origin'}.`,
        hint('bucket-cors.preflight-rejected', {
          status: post.status,
          code: post.error?.code ?? '',
          message: post.error?.message ?? '',
        }),
        evidence,
      );
    }
    return { summary: `S3 allows POST from ${origin} and exposes ETag`, ...evidence };
  },
};

async function corsRules(ctx: CheckContext) {
  try {
    const out = await ctx.aws.s3.send(new GetBucketCorsCommand({ Bucket: ctx.target.bucket }));
    return out.CORSRules ?? [];
  } catch (err) {
    if (isAwsError(err, 'NoSuchCORSConfiguration')) return undefined;
    throw err;
  }
}
