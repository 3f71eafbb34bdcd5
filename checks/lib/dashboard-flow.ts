import type { CheckContext } from '../context.ts';
import { apiUrl } from './api.ts';
import { debug } from './debug.ts';
import { request } from './http.ts';
import { judgeNotification, type NotificationVerdict } from './notification.ts';
import { pageShowsFile } from './page-shows-file.ts';
import { uploadThroughPage } from './upload-flow.ts';

const POLL_MS = 100;
/** How long the pipeline gets when its configuration already says it cannot fire. */
const GRACE_MS = 1500;
/** How long the page gets to show a file GET /files lists, after its refresh is pressed. */
const SHOW_WAIT_MS = 5000;

export interface DashboardSeen {
  key: string;
  /** Whether `GET /files` listed the upload, and after how long. */
  listed: boolean;
  ms: number;
  files: number;
  /** Whether the page's list showed it after a refresh. */
  shown: boolean;
  notification: Promise<NotificationVerdict>;
}

/**
 * Watches the pipeline put the page's upload on the dashboard, once per run, started as soon as the
 * upload settles; undefined when the page stored nothing.
 */
export function watchDashboard(ctx: CheckContext): Promise<DashboardSeen | undefined> {
  return ctx.memo('dashboard-flow', async () => {
    const upload = await uploadThroughPage(ctx);
    const key = upload.key;
    if (!key || upload.status?.state !== 'ok') return undefined;
    const notification = judgeNotification(ctx, key);
    notification.catch(() => undefined);
    const deadlineMs = Math.max(3000, Math.min(20_000, ctx.timeoutMs - 5000));
    const polled = await pollFiles(ctx, key, deadlineMs, notification);
    debug(`listed ${polled.found} after ${polled.ms} ms`);
    if (!polled.found)
      return { key, listed: false, ms: polled.ms, files: polled.count, shown: false, notification };
    ctx.uploads.recordSeen(key);
    const shown = await pageShowsFile(upload.page, key, SHOW_WAIT_MS);
    debug(`shown ${shown}`);
    return { key, listed: true, ms: polled.ms, files: polled.count, shown, notification };
  });
}

async function pollFiles(
  ctx: CheckContext,
  key: string,
  waitMs: number,
  notification: Promise<NotificationVerdict>,
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
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
