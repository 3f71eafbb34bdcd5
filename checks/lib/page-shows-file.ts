import type { Page } from 'playwright-core';

const LIST = '[data-lab="file-list"]';
const REFRESH = '[data-lab="refresh"]';

interface Args {
  item: string;
  refresh: string;
  /** Press refresh (once it is enabled) unless the item is already there. */
  press: boolean;
  waitMs: number;
}

/** What the page did: showed the item, or not within the wait; `no-refresh` when it has no refresh button. */
type Shown = 'shown' | 'not-shown' | 'no-refresh';

/**
 * Whether the page's file list shows `key` (`li[data-key]`), in one round trip: when it does not
 * yet, presses `[data-lab="refresh"]` as soon as it is enabled and watches the list, with a
 * MutationObserver, for at most `waitMs`. A page without a refresh button is reloaded instead.
 */
export async function pageShowsFile(page: Page, key: string, waitMs: number): Promise<boolean> {
  const item = `${LIST} li[data-key="${key.replace(/["\\]/g, '\\$&')}"]`;
  const shown = await page.evaluate(inPage, { item, refresh: REFRESH, press: true, waitMs } satisfies Args);
  if (shown !== 'no-refresh') return shown === 'shown';
  await page.reload({ waitUntil: 'load' });
  const reloaded = await page.evaluate(inPage, { item, refresh: REFRESH, press: false, waitMs });
  return reloaded === 'shown';
}

/**
 * Runs in the page: only the DOM, nothing from this module's scope, and no named inner functions
 * (tsx's keepNames would wrap them in a `__name` helper the page does not have).
 */
async function inPage({ item, refresh, press, waitMs }: Args): Promise<Shown> {
  const w = globalThis as unknown as PageGlobals;
  const doc = w.document;
  if (doc.querySelector(item)) return 'shown';
  if (press && !doc.querySelector(refresh)) return 'no-refresh';
  let pressed = !press;
  return new Promise<Shown>((resolve) => {
    let timer = 0;
    // Attributes too: the item may get its data-key late, the button its `disabled` removed.
    const observer = new w.MutationObserver(() => {
      if (doc.querySelector(item)) {
        observer.disconnect();
        w.clearTimeout(timer);
        resolve('shown');
        return;
      }
      const now = doc.querySelector(refresh);
      if (!pressed && now && !now.disabled) {
        pressed = true;
        now.click();
      }
    });
    observer.observe(doc, { subtree: true, childList: true, attributes: true });
    timer = w.setTimeout(() => {
      observer.disconnect();
      resolve(doc.querySelector(item) ? 'shown' : 'not-shown');
    }, waitMs);
    const button = doc.querySelector(refresh);
    if (!pressed && button && !button.disabled) {
      pressed = true;
      button.click();
    }
  });
}

/** The little of the DOM `inPage` uses (this folder's TypeScript has no DOM library). */
interface PageGlobals {
  document: { querySelector(sel: string): { disabled?: boolean; click(): void } | null };
  MutationObserver: new (cb: () => void) => {
    observe(target: unknown, options: Record<string, unknown>): void;
    disconnect(): void;
  };
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}
