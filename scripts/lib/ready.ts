import { GetApiCommand, GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetBucketCorsCommand, type CORSRule } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAwsError } from './aws-errors.ts';
import type { Change, RunContext } from './context.ts';
import { UPLOAD_PREFIX } from './names.ts';

/** How long a run waits for one change to be applied before it says so and carries on. */
const DEADLINE_MS = 90_000;

/**
 * AWS applies configuration changes eventually (aws-behavior.md §11): a new route or CORS setting
 * is served, a bucket's CORS enforced, a policy in force, some seconds after the call that made
 * it. After a deploy or solve, waits until what this run changed is observably in effect, by
 * polling the condition itself (never a fixed sleep), with a progress line per wait. A condition
 * still false at the deadline is reported and the run carries on (the checker re-checks too).
 */
export async function waitUntilApplied(
  ctx: RunContext,
  changes: readonly Change[],
  note: (message: string) => void = () => {},
): Promise<void> {
  const changed = (...kinds: string[]) =>
    changes.filter((c) => kinds.includes(c.kind) && c.action !== 'unchanged');
  if (changed('api', 'api-cors', 'route', 'stage').length) await apiServed(ctx, changes, note);
  if (changed('bucket-cors').length) await bucketCorsEnforced(ctx, note);
  const policy = `${ctx.names.roles.uploadTicket}/${ctx.names.policies.uploadTicketPut}`;
  const put = changed('role-policy').find((c) => c.name === policy);
  if (put) await putPermissionInForce(ctx, put.action !== 'deleted', note);
}

/** Polls `probe` until it holds; false at the deadline. */
async function until(
  what: string,
  probe: () => Promise<boolean>,
  note: (message: string) => void,
): Promise<boolean> {
  const start = Date.now();
  let delay = 100;
  for (let tries = 1; ; tries += 1) {
    if (await probe().catch(() => false)) {
      if (tries > 1) note(`  ${what}: applied after ${((Date.now() - start) / 1000).toFixed(1)} s`);
      return true;
    }
    if (tries === 1)
      note(`  waiting for AWS to apply the change: ${what} (polling, up to ${DEADLINE_MS / 1000} s)`);
    if (Date.now() - start > DEADLINE_MS) {
      note(`  ${what}: still not applied after ${DEADLINE_MS / 1000} s; carrying on`);
      return false;
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 2000);
  }
}

const NOT_FOUND = '{"message":"Not Found"}';

/** Each `METHOD /path` route answers (not API Gateway's 404), removed routes do not, and CORS is the configured one. */
async function apiServed(ctx: RunContext, changes: readonly Change[], note: (m: string) => void) {
  const ApiId = ctx.found.apiId;
  const base = ctx.found.apiEndpoint?.replace(/\/+$/, '');
  if (!ApiId || !base) return;
  const routes = (await ctx.clients.apigw.send(new GetRoutesCommand({ ApiId }))).Items ?? [];
  const served = async (routeKey: string) => {
    const [method = 'GET', path = '/'] = routeKey.split(' ');
    const res = await fetch(`${base}${path}`, {
      method,
      ...(method === 'GET' || method === 'HEAD'
        ? {}
        : { body: '{}', headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return !(res.status === 404 && text.trim() === NOT_FOUND);
  };
  for (const key of routes.map((r) => r.RouteKey ?? '').filter((k) => /^[A-Z]+ \/[^{]*$/.test(k)))
    await until(`route ${key} live`, () => served(key), note);
  for (const gone of changes.filter((c) => c.kind === 'route' && c.action === 'deleted'))
    await until(`route ${gone.name} removed`, async () => !(await served(gone.name)), note);
  const cors = (await ctx.clients.apigw.send(new GetApiCommand({ ApiId }))).CorsConfiguration;
  const probePath = routes.find((r) => r.RouteKey?.startsWith('GET /'))?.RouteKey?.split(' ')[1] ?? '/';
  const methods = (list: string[] | undefined) =>
    [...new Set((list ?? []).map((m) => m.trim().toUpperCase()))].sort().join(',');
  const wanted =
    cors?.AllowOrigins?.includes(ctx.origin) || cors?.AllowOrigins?.includes('*')
      ? methods(cors.AllowMethods)
      : '';
  await until(
    'API CORS as configured',
    async () => {
      const res = await fetch(`${base}${probePath}`, {
        method: 'OPTIONS',
        headers: { origin: ctx.origin, 'access-control-request-method': 'GET' },
        signal: AbortSignal.timeout(15_000),
      });
      await res.arrayBuffer();
      const got = res.headers.get('access-control-allow-origin')
        ? methods(res.headers.get('access-control-allow-methods')?.split(','))
        : '';
      return got === wanted;
    },
    note,
  );
}

/** A preflight for the upload form's POST is answered as the bucket's CORS rules say. */
async function bucketCorsEnforced(ctx: RunContext, note: (m: string) => void) {
  const Bucket = ctx.names.bucket;
  let rules: CORSRule[] = [];
  try {
    rules = (await ctx.clients.s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules ?? [];
  } catch (err) {
    if (!isAwsError(err, 'NoSuchCORSConfiguration')) throw err;
  }
  const allows = rules.some(
    (r) =>
      (r.AllowedOrigins ?? []).some((o) => o === '*' || o === ctx.origin) &&
      (r.AllowedMethods ?? []).includes('POST'),
  );
  const endpoint = ctx.target.endpoint
    ? `${ctx.target.endpoint.replace(/\/+$/, '')}/${Bucket}/`
    : `https://${Bucket}.s3.${ctx.target.region}.amazonaws.com/`;
  await until(
    `bucket CORS ${allows ? 'allowing' : 'refusing'} POST from ${ctx.origin}`,
    async () => {
      const res = await fetch(endpoint, {
        method: 'OPTIONS',
        headers: { origin: ctx.origin, 'access-control-request-method': 'POST' },
        signal: AbortSignal.timeout(15_000),
      });
      await res.arrayBuffer();
      return (res.status === 200 && res.headers.get('access-control-allow-origin') !== null) === allows;
    },
    note,
  );
}

/** SimulatePrincipalPolicy answers what is in force: wait for the ticket role's s3:PutObject to match what was written. */
async function putPermissionInForce(ctx: RunContext, allowed: boolean, note: (m: string) => void) {
  const role =
    ctx.found.roleArns.uploadTicket ??
    `arn:${ctx.target.partition}:iam::${ctx.target.account}:role/${ctx.names.roles.uploadTicket}`;
  await until(
    `s3:PutObject ${allowed ? 'allowed' : 'no longer allowed'} for ${ctx.names.roles.uploadTicket}`,
    async () => {
      // A role deleted since (a baseline deploy removes it after its policy) allows nothing.
      const out = await ctx.clients.iam
        .send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: role,
            ActionNames: ['s3:PutObject'],
            ResourceArns: [`arn:${ctx.target.partition}:s3:::${ctx.names.bucket}/${UPLOAD_PREFIX}probe.txt`],
          }),
        )
        .catch((err: unknown) => {
          if (isAwsError(err, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
          throw err;
        });
      if (!out) return !allowed;
      return (out.EvaluationResults?.[0]?.EvalDecision === 'allowed') === allowed;
    },
    note,
  );
}
