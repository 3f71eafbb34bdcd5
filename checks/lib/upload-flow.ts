import type { Page, Response } from 'playwright-core';
import type { CheckContext } from '../context.ts';
import { debug } from './debug.ts';
import { sameUrl, type PageWatch } from './page-watch.ts';
import { probeFile } from './probe-file.ts';
import { field, type Ticket } from './ticket.ts';
import { frontendPage } from './upload-page.ts';

/** The conventions the checker relies on (LAB.md, "Conventions"; docs/contracts.md). */
export const SEL = {
  form: 'form[data-lab="upload-form"]',
  file: 'form[data-lab="upload-form"] input[type=file]',
  status: '[data-lab="upload-status"]',
};

/** What the browser did when the checker uploaded a file through the page. */
export interface UploadSeen {
  url: string;
  page: Page;
  watch: PageWatch;
  loaded: Response | Error | null;
  /** Conventions the page does not follow; the upload was not attempted when any is missing. */
  missing: string[];
  ticketUrl: string;
  ticket?: Ticket;
  status?: { state: string; text: string; objectKey: string };
  /** The key the ticket named (the object the page should have stored). */
  key?: string;
  fileName: string;
  /** When the upload was submitted and when the page settled, ms since the epoch. */
  submittedAt?: number;
  settledAt?: number;
}

/**
 * Uploads a file through the student's page, once per run. The runner starts it early, while the
 * rows browser-upload needs are still running; the row then judges what was seen, or is skipped
 * when a need failed (the observations are discarded, the object cleaned up).
 */
export function uploadThroughPage(ctx: CheckContext): Promise<UploadSeen> {
  return ctx.memo('upload-flow', async () => {
    const frontend = await frontendPage(ctx);
    const { url, page, watch, loaded } = frontend;
    const file = probeFile(ctx, 'browser-upload', 48);
    const seen: UploadSeen = {
      url,
      page,
      watch,
      loaded,
      missing: [],
      ticketUrl: `${ctx.target.apiEndpoint}/upload-url`,
      fileName: file.name,
    };
    const pending: Promise<void>[] = [];
    frontend.onResponse = (r) => {
      if (r.method !== 'POST' || !sameUrl(r.url, seen.ticketUrl) || r.status !== 200 || !r.response) return;
      // Register the object for cleanup as soon as the ticket names it, before the page uploads.
      pending.push(
        r.response.json().then(
          (t: Ticket) => {
            seen.ticket = t;
            const key = (field(t.upload?.fields ?? {}, 'key') ?? t.object_key)?.replace(
              '${filename}',
              file.name,
            );
            if (key) {
              seen.key = key;
              ctx.uploads.add(key);
            }
          },
          () => undefined,
        ),
      );
    };
    if (loaded instanceof Error || !loaded?.ok()) return seen;
    seen.missing = await missingConventions(page);
    if (seen.missing.length > 0) return seen;
    await page.setInputFiles(SEL.file, {
      name: file.name,
      mimeType: file.type,
      buffer: Buffer.from(file.body),
    });
    seen.submittedAt = Date.now();
    await page
      .locator(SEL.form)
      .first()
      .evaluate((form) => (form as unknown as { requestSubmit(): void }).requestSubmit());
    debug('upload submitted');
    const waitMs = Math.max(2000, Math.min(20_000, ctx.timeoutMs - 5000));
    const settled = `${SEL.status}[data-state="ok"], ${SEL.status}[data-state="error"]`;
    await page.waitForSelector(settled, { state: 'attached', timeout: waitMs }).catch(() => undefined);
    seen.settledAt = Date.now();
    seen.status = await page.$eval(SEL.status, (el) => ({
      state: el.getAttribute('data-state') ?? '',
      text: (el.textContent ?? '').trim(),
      objectKey: el.getAttribute('data-object-key') ?? '',
    }));
    debug(`upload settled: ${seen.status.state}`);
    await Promise.all(pending);
    if (!seen.key && seen.status.objectKey) seen.key = seen.status.objectKey;
    return seen;
  });
}

type Dom = { querySelector(s: string): { removeAttribute(name: string): void } | null };

/**
 * The conventions the page does not follow; when it follows them all, also clears the status
 * element's `data-state`, so that only this upload's result counts (one round trip for both).
 */
async function missingConventions(page: Page): Promise<string[]> {
  const wanted = [SEL.form, SEL.file, SEL.status];
  const found = await page.evaluate(
    ([sels, status]) => {
      const doc = (globalThis as unknown as { document: Dom }).document;
      const present = sels.map((sel) => doc.querySelector(sel) !== null);
      if (present.every(Boolean)) doc.querySelector(status)?.removeAttribute('data-state');
      return present;
    },
    [wanted, SEL.status] as const,
  );
  return wanted.filter((_, i) => !found[i]);
}
