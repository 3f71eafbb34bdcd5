import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { fail } from '../check-failure.ts';
import type { CheckContext } from '../context.ts';
import { hint } from '../hints.ts';
import { apiUrl } from '../lib/api.ts';
import { debug } from '../lib/debug.ts';
import { request } from '../lib/http.ts';
import { judgeNotification } from '../lib/notification.ts';
import type { Check } from '../types.ts';
import { UPLOAD_PAGE } from './browser-upload.ts';

const POLL_MS = 100;
/** How long the pipeline gets when its configuration already says it cannot fire. */
const GRACE_MS = 1500;

export const dashboard: Check = {
  id: 'dashboard',
  title: 'New file appears after the pipeline runs',
  step: 'Refresh dashboard',
  needs: ['browser-upload'],
  browser: true,
  async run(ctx) {
    const key = String(ctx.evidence('browser-upload')?.['key'] ?? '');
    const deadlineMs = Math.max(3000, Math.min(20_000, ctx.timeoutMs - 5000));
    const notification = judgeNotification(ctx, key);
    notification.catch(() => undefined);
    const listed = await pollFiles(ctx, key, deadlineMs, notification);
    const evidence: Record<string, unknown> = { key, listedAfterMs: listed.ms, files: listed.count };
    if (!listed.found) {
      const { problem, configs } = await notification;
      evidence['notifications'] = configs;
      const fn = ctx.target.functions.fileMetadata;
      if (problem?.kind === 'none')
        fail(
          `No notification from ${ctx.target.bucket} reaches ${fn}.`,
          hint('dashboard.no-notification', { bucket: ctx.target.bucket, fn }),
          evidence,
        );
      if (problem?.kind === 'put-only')
        fail(
          `The notification fires on ${problem.events.join(', ')} only.`,
          hint('dashboard.notification-put-only', { events: problem.events }),
          evidence,
        );
      if (problem?.kind === 'wrong-prefix') {
        fail(
          `The notification's prefix ${problem.prefix} does not match ${key}.`,
          hint('dashboard.notification-wrong-prefix', {
            prefix: problem.prefix,
            key,
            wanted: ctx.target.uploadPrefix,
          }),
          evidence,
        );
      }
      const record = ctx.uploads.recordKey(key) ?? '';
      const recordExists = await exists(ctx, record);
      fail(
        `${key} was not in GET /files after ${Math.round(listed.ms / 1000)} s.`,
        hint('dashboard.not-listed', { key, seconds: Math.round(listed.ms / 1000), record, recordExists }),
        evidence,
      );
    }
    debug(`listed after ${listed.ms} ms`);
    ctx.uploads.recordSeen(key);
    const page = ctx.shared.get(UPLOAD_PAGE) as Page | undefined;
    if (!page) throw new Error('the page from browser-upload is gone');
    const shown = await showsFile(page, key);
    if (!shown)
      fail(
        `GET /files lists ${key}, the page does not.`,
        hint('dashboard.page-not-updated', { key }),
        evidence,
      );
    return { summary: `${key} is in GET /files after ${listed.ms} ms and on the page`, ...evidence };
  },
};

async function pollFiles(
  ctx: CheckContext,
  key: string,
  waitMs: number,
  notification: Promise<{ problem?: unknown }>,
) {
  const t0 = Date.now();
  let limit = waitMs;
  // Once the configuration says the pipeline cannot fire, waiting the whole deadline is pointless.
  notification.then(
    (v) => (limit = v.problem ? Math.min(limit, GRACE_MS) : limit),
    () => undefined,
  );
  let count = 0;
  while (true) {
    const res = await request(apiUrl(ctx, '/files?limit=100'));
    if (res.status === 200) {
      const body = JSON.parse(res.body) as { files?: { key?: string }[] };
      count = body.files?.length ?? 0;
      if (body.files?.some((f) => f.key === key)) return { found: true, ms: Date.now() - t0, count };
    }
    if (Date.now() - t0 >= limit) return { found: false, ms: Date.now() - t0, count };
    await sleep(POLL_MS);
  }
}

/** Presses refresh (or reloads) and waits for the file's `li[data-key]` in the list. */
async function showsFile(page: Page, key: string): Promise<boolean> {
  const item = page.locator(`[data-lab="file-list"] li[data-key="${key.replace(/["\\]/g, '\\$&')}"]`);
  if ((await item.count()) > 0) return true;
  const refresh = page.locator('[data-lab="refresh"]');
  if ((await refresh.count()) > 0) await refresh.first().click();
  else await page.reload({ waitUntil: 'load' });
  return item
    .first()
    .waitFor({ state: 'attached', timeout: 5000 })
    .then(
      () => true,
      () => false,
    );
}

async function exists(ctx: CheckContext, key: string): Promise<boolean> {
  if (!key) return false;
  return ctx.aws.s3.send(new HeadObjectCommand({ Bucket: ctx.target.bucket, Key: key })).then(
    () => true,
    () => false,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
