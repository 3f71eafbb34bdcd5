import type { Page, Response } from 'playwright-core';
import type { CheckContext } from '../context.ts';
import type { BrowserSession } from './browser.ts';
import { debug } from './debug.ts';
import { PageWatch, type SeenRequest } from './page-watch.ts';

export interface FrontendPage {
  url: string;
  page: Page;
  watch: PageWatch;
  /** The navigation's answer, or why there was none. */
  loaded: Response | Error | null;
  /** Called with every response the page receives, from the moment a row sets it. */
  onResponse: ((seen: SeenRequest) => void) | undefined;
}

/**
 * The page under test, loaded once per run. The runner starts loading it as soon as Chromium is up,
 * while discovery and the rows the upload needs are still running; browser-upload finds it ready.
 */
export function frontendPage(ctx: CheckContext): Promise<FrontendPage> {
  return ctx.memo('frontend-page', () => loadFrontendPage(ctx.browser, ctx.frontendUrl()));
}

export async function loadFrontendPage(
  browser: BrowserSession,
  frontendUrl: Promise<string>,
): Promise<FrontendPage> {
  const [url, page] = await Promise.all([frontendUrl, browser.newPage()]);
  debug(`frontend at ${url}`);
  const holder: FrontendPage = {
    url,
    page,
    watch: undefined as unknown as PageWatch,
    loaded: null,
    onResponse: undefined,
  };
  holder.watch = new PageWatch(page, (seen) => holder.onResponse?.(seen));
  debug('page loading');
  holder.loaded = await page.goto(url, { waitUntil: 'load' }).catch((err: Error) => err);
  debug('page loaded');
  return holder;
}
