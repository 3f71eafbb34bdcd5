import type { Page } from 'playwright-core';
import type { UploadFile } from './http.ts';

/** The conventions the checker relies on (LAB.md, "Conventions"; docs/contracts.md). */
export const SEL = {
  form: 'form[data-lab="upload-form"]',
  file: 'form[data-lab="upload-form"] input[type=file]',
  status: '[data-lab="upload-status"]',
};

export interface PageStatus {
  state: string;
  text: string;
  objectKey: string;
}

/** What happened in the page: the conventions it lacks (nothing was submitted), or how the upload ended. */
export type Submitted =
  | { missing: string[]; status?: undefined; settled?: undefined }
  | { missing: []; status: PageStatus; settled: boolean };

interface Args {
  sels: typeof SEL;
  file: UploadFile;
  waitMs: number;
}

/**
 * In one round trip: checks the page's conventions; chooses `file` in the form's file input the
 * way Playwright's `setInputFiles` does (a DataTransfer, then `input` and `change` events); submits
 * the form as a user would (`requestSubmit`, so its submit handlers run); and waits, with a
 * MutationObserver, until the status element gets `data-state="ok"|"error"` or `waitMs` passes.
 * Rejects when the page navigates away meanwhile (a form with no submit handler).
 */
export async function submitInPage(page: Page, file: UploadFile, waitMs: number): Promise<Submitted> {
  return page.evaluate(inPage, { sels: SEL, file, waitMs } satisfies Args);
}

/**
 * Runs in the page: only the DOM, nothing from this module's scope, and no named inner functions
 * (tsx's keepNames would wrap them in a `__name` helper the page does not have).
 */
async function inPage({ sels, file, waitMs }: Args): Promise<Submitted> {
  const w = globalThis as unknown as PageGlobals;
  const doc = w.document;
  const form = doc.querySelector(sels.form);
  const input = doc.querySelector(sels.file);
  const missing = [sels.form, sels.file, sels.status].filter((sel) => doc.querySelector(sel) === null);
  if (missing.length > 0 || !form || !input) return { missing };
  // Only this upload's result counts.
  doc.querySelector(sels.status)?.removeAttribute('data-state');
  const dt = new w.DataTransfer();
  dt.items.add(new w.File([file.body], file.name, { type: file.type }));
  input.files = dt.files;
  input.dispatchEvent(new w.Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new w.Event('change', { bubbles: true }));
  const settled = await new Promise<boolean>((resolve) => {
    let timer = 0;
    // The whole document: a page may replace the status element rather than change it.
    const observer = new w.MutationObserver(() => {
      const state = doc.querySelector(sels.status)?.getAttribute('data-state');
      if (state !== 'ok' && state !== 'error') return;
      observer.disconnect();
      w.clearTimeout(timer);
      resolve(true);
    });
    observer.observe(doc, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
    timer = w.setTimeout(() => {
      observer.disconnect();
      resolve(false);
    }, waitMs);
    form.requestSubmit();
  });
  const el = doc.querySelector(sels.status);
  return {
    missing: [],
    settled,
    status: {
      state: el?.getAttribute('data-state') ?? '',
      text: (el?.textContent ?? '').trim(),
      objectKey: el?.getAttribute('data-object-key') ?? '',
    },
  };
}

/** The little of the DOM `inPage` uses (this folder's TypeScript has no DOM library). */
interface El {
  textContent: string | null;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  dispatchEvent(event: unknown): boolean;
}
interface PageGlobals {
  document: {
    querySelector(sel: string): (El & { files: unknown; requestSubmit(): void }) | null;
  };
  DataTransfer: new () => { items: { add(file: unknown): void }; files: unknown };
  File: new (parts: string[], name: string, options: { type: string }) => unknown;
  Event: new (type: string, init: { bubbles: boolean; composed?: boolean }) => unknown;
  MutationObserver: new (cb: () => void) => {
    observe(target: unknown, options: Record<string, unknown>): void;
    disconnect(): void;
  };
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}
