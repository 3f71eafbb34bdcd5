import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { fail } from '../check-failure.ts';
import type { CheckContext } from '../context.ts';
import { hint } from '../hints.ts';
import { watchDashboard } from '../lib/dashboard-flow.ts';
import type { Check } from '../types.ts';

export const dashboard: Check = {
  id: 'dashboard',
  title: 'New file appears after the pipeline runs',
  step: 'Refresh dashboard',
  needs: ['browser-upload'],
  browser: true,
  async run(ctx) {
    const seen = await watchDashboard(ctx);
    if (!seen) throw new Error('the upload browser-upload made is gone');
    const { key } = seen;
    const evidence: Record<string, unknown> = { key, listedAfterMs: seen.ms, files: seen.files };
    if (!seen.listed) {
      const { problem, configs } = await seen.notification;
      evidence['notifications'] = configs;
      const fn = ctx.target.functions.fileMetadata;
      if (problem?.kind === 'none') {
        const bucket = ctx.target.bucket;
        fail(
          `No notification from ${bucket} reaches ${fn}.`,
          hint('dashboard.no-notification', { bucket, fn }),
          evidence,
        );
      }
      if (problem?.kind === 'put-only') {
        const { events } = problem;
        fail(
          `The notification fires on ${events.join(', ')} only.`,
          hint('dashboard.notification-put-only', { events }),
          evidence,
        );
      }
      if (problem?.kind === 'wrong-prefix') {
        const wanted = ctx.target.uploadPrefix;
        fail(
          `The notification's prefix ${problem.prefix} does not match ${key}.`,
          hint('dashboard.notification-wrong-prefix', { prefix: problem.prefix, key, wanted }),
          evidence,
        );
      }
      const record = ctx.uploads.recordKey(key) ?? '';
      const recordExists = await exists(ctx, record);
      const seconds = Math.round(seen.ms / 1000);
      fail(
        `${key} was not in GET /files after ${seconds} s.`,
        hint('dashboard.not-listed', { key, seconds, record, recordExists }),
        evidence,
      );
    }
    if (!seen.shown)
      fail(
        `GET /files lists ${key}, the page does not.`,
        hint('dashboard.page-not-updated', { key }),
        evidence,
      );
    return { summary: `${key} is in GET /files after ${seen.ms} ms and on the page`, ...evidence };
  },
};

async function exists(ctx: CheckContext, key: string): Promise<boolean> {
  if (!key) return false;
  return ctx.aws.s3.send(new HeadObjectCommand({ Bucket: ctx.target.bucket, Key: key })).then(
    () => true,
    () => false,
  );
}
