import {
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  type CORSRule,
} from '@aws-sdk/client-s3';
import { isAwsError } from '../aws-errors.ts';
import { change, type Change, type RunContext } from '../context.ts';
import { requireBucket } from './require.ts';

async function currentRules(ctx: RunContext): Promise<CORSRule[] | undefined> {
  try {
    const out = await ctx.clients.s3.send(new GetBucketCorsCommand({ Bucket: ctx.names.bucket }));
    return out.CORSRules ?? [];
  } catch (err) {
    if (isAwsError(err, 'NoSuchCORSConfiguration')) return undefined;
    throw err;
  }
}

/** Rules compared field by field; S3 echoes them as stored, so order and case matter. */
const canonical = (rules: CORSRule[]): string =>
  JSON.stringify(
    rules.map((r) => ({
      ID: r.ID ?? null,
      AllowedHeaders: r.AllowedHeaders ?? [],
      AllowedMethods: r.AllowedMethods ?? [],
      AllowedOrigins: r.AllowedOrigins ?? [],
      ExposeHeaders: r.ExposeHeaders ?? [],
      MaxAgeSeconds: r.MaxAgeSeconds ?? null,
    })),
  );

/** PutBucketCors with exactly these rules, unless they are already there. */
export async function ensureBucketCors(ctx: RunContext, rules: CORSRule[]): Promise<Change> {
  await requireBucket(ctx);
  const have = await currentRules(ctx);
  if (have && canonical(have) === canonical(rules))
    return change('bucket-cors', ctx.names.bucket, 'unchanged');
  await ctx.clients.s3.send(
    new PutBucketCorsCommand({ Bucket: ctx.names.bucket, CORSConfiguration: { CORSRules: rules } }),
  );
  return change('bucket-cors', ctx.names.bucket, have ? 'updated' : 'created');
}

/** The baseline has no bucket CORS: the lab adds it. */
export async function removeBucketCors(ctx: RunContext): Promise<Change> {
  if ((await currentRules(ctx)) === undefined)
    return change('bucket-cors', ctx.names.bucket, 'unchanged', 'absent');
  await ctx.clients.s3.send(new DeleteBucketCorsCommand({ Bucket: ctx.names.bucket }));
  return change('bucket-cors', ctx.names.bucket, 'deleted');
}
