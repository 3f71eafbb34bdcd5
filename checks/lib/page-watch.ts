import type { Page, Request, Response } from 'playwright-core';
import { debug } from './debug.ts';

export interface SeenRequest {
  method: string;
  url: string;
  contentType: string;
  /** The request headers the page itself set (not those the browser adds). */
  headers: Record<string, string>;
  status?: number;
  failure?: string;
  response?: Response;
}

/** Headers the browser sets on its own; a page cannot, and CORS does not ask about them. */
const BROWSER_HEADERS =
  /^(origin|referer|user-agent|accept|accept-language|accept-encoding|connection|host|content-length|cookie|sec-.*|dnt)$/i;

/**
 * What the browser itself reports while the page runs: every request with its outcome, and the
 * console's errors — Chromium names CORS failures there ("… has been blocked by CORS policy …").
 */
export class PageWatch {
  readonly requests: SeenRequest[] = [];
  readonly consoleErrors: string[] = [];
  readonly #byRequest = new Map<Request, SeenRequest>();

  constructor(page: Page, onResponse?: (seen: SeenRequest) => void) {
    page.on('request', (req) => {
      const headers = req.headers();
      const seen: SeenRequest = {
        method: req.method(),
        url: req.url(),
        contentType: headers['content-type'] ?? '',
        headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !BROWSER_HEADERS.test(name))),
      };
      this.#byRequest.set(req, seen);
      this.requests.push(seen);
      debug(`page → ${seen.method} ${seen.url}`);
    });
    page.on('response', (res) => {
      const seen = this.#byRequest.get(res.request());
      if (!seen) return;
      seen.status = res.status();
      seen.response = res;
      debug(`page ← ${seen.status} ${seen.method} ${seen.url}`);
      onResponse?.(seen);
    });
    page.on('requestfailed', (req) => {
      const seen = this.#byRequest.get(req);
      if (!seen) return;
      seen.failure = req.failure()?.errorText ?? 'failed';
      debug(`page ✗ ${seen.method} ${seen.url}: ${seen.failure}`);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => this.consoleErrors.push(`uncaught ${err.name}: ${err.message}`));
  }

  /** The console's CORS complaint about a URL starting with `urlPrefix`, if any. */
  corsError(urlPrefix: string): string | undefined {
    const base = urlPrefix.replace(/\/$/, '');
    return this.consoleErrors.find((m) => /blocked by CORS policy/.test(m) && m.includes(base));
  }

  find(test: (r: SeenRequest) => boolean): SeenRequest | undefined {
    return this.requests.find(test);
  }
}

/** Same URL, ignoring one trailing slash. */
export function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '');
}
