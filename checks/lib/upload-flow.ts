import type { Page, Response } from 'playwright-core';
import type { CheckContext } from '../context.ts';
import { debug } from './debug.ts';
import { sameUrl, type PageWatch, type SeenRequest } from './page-watch.ts';
import { SEL, submitInPage, type PageStatus } from './page-submit.ts';
import { probeFile } from './probe-file.ts';
import { readObject, type StoredObject } from './stored-object.ts';
import { field, type Ticket } from './ticket.ts';
import { frontendPage } from './upload-page.ts';

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
  status?: PageStatus;
  /** The key the ticket named (the object the page should have stored). */
  key?: string;
  fileName: string;
  /** The bytes the page was given to upload. */
  fileBody: string;
  /** The object at `key`, read as soon as S3 accepted the page's POST; undefined when it did not. */
  stored?: Promise<StoredObject | undefined>;
  /** When the flow began (the page started loading), the upload was submitted, the page settled
   * and the object was read back, ms since the epoch. */
  startedAt: number;
  submittedAt?: number;
  settledAt?: number;
  readBackAt?: number;
}

/**
 * Uploads a file through the student's page, once per run. The runner starts it early, while the
 * rows browser-upload needs are still running; the row then judges what was seen, or is skipped
 * when a need failed (the observations are discarded, the object cleaned up).
 */
export function uploadThroughPage(ctx: CheckContext): Promise<UploadSeen> {
  return ctx.memo('upload-flow', async () => {
    const startedAt = Date.now();
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
      fileBody: file.body,
      startedAt,
    };
    const ticketsRead: Promise<void>[] = [];
    let accepted = false;
    // S3 accepted the page's POST and the ticket named the key: read the object back at once.
    const readBack = () => {
      if (!accepted || !seen.key || seen.stored) return;
      seen.stored = readObject(ctx, seen.key, file.body.length).then((object) => {
        seen.readBackAt = Date.now();
        return object;
      });
      seen.stored.catch(() => undefined);
    };
    frontend.onResponse = (r) => {
      if (r.method !== 'POST') return;
      if (isAcceptedPost(r, seen.ticket)) {
        accepted = true;
        readBack();
        return;
      }
      if (!sameUrl(r.url, seen.ticketUrl) || r.status !== 200 || !r.response) return;
      // Register the object for cleanup as soon as the ticket names it, before the page uploads.
      const read = r.response.json().then(
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
      );
      ticketsRead.push(read);
    };
    if (loaded instanceof Error || !loaded?.ok()) return seen;
    const waitMs = Math.max(2000, Math.min(20_000, ctx.timeoutMs - 5000));
    seen.submittedAt = Date.now();
    const submitted = await submitInPage(page, file, waitMs).catch((err: Error) => err);
    if (submitted instanceof Error) {
      // The page navigated away (a form without a submit handler): read the status where it lands.
      debug(`upload submitted, then the page went: ${submitted.message.split('\n')[0] ?? ''}`);
      seen.status = await settledStatus(page, Math.max(0, waitMs - (Date.now() - seen.submittedAt)));
    } else {
      seen.missing = submitted.missing;
      if (!submitted.status) return seen;
      seen.status = submitted.status;
    }
    seen.settledAt = Date.now();
    debug(`upload settled: ${seen.status.state}`);
    await Promise.all(ticketsRead);
    // The POST's answer may have come before the ticket was read: look again.
    accepted ||= watch.find((r) => isAcceptedPost(r, seen.ticket)) !== undefined;
    readBack();
    if (!seen.key && seen.status.objectKey) seen.key = seen.status.objectKey;
    return seen;
  });
}

/** A 2xx answer to a POST at the ticket's upload URL. */
function isAcceptedPost(r: SeenRequest, ticket: Ticket | undefined): boolean {
  return (
    ticket !== undefined &&
    r.method === 'POST' &&
    sameUrl(r.url, ticket.upload.url) &&
    r.status !== undefined &&
    r.status < 300
  );
}

/** Waits (at most `waitMs`) for the status element to settle, then reads it. */
async function settledStatus(page: Page, waitMs: number): Promise<PageStatus> {
  const settled = `${SEL.status}[data-state="ok"], ${SEL.status}[data-state="error"]`;
  await page.waitForSelector(settled, { state: 'attached', timeout: waitMs }).catch(() => undefined);
  return page
    .$eval(SEL.status, (el) => ({
      state: el.getAttribute('data-state') ?? '',
      text: (el.textContent ?? '').trim(),
      objectKey: el.getAttribute('data-object-key') ?? '',
    }))
    .catch(() => ({ state: '', text: '', objectKey: '' }));
}
