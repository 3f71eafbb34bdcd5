import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './browser.ts';
import { submitInPage } from './page-submit.ts';
import { serveStaticPages, type StaticPages } from './static-pages-test-kit.ts';

const chromium = await findChromium();
const file = {
  name: 'probe.txt',
  type: 'text/plain',
  body: 'forty-eight bytes of probe text, give or take..\n',
};

const form = (handler: string, extra = '') => `<!doctype html>
<form data-lab="upload-form"><input type="file"><button>Go</button></form>
<div id="box"><p data-lab="upload-status"></p></div>${extra}
<script>
  const form = document.querySelector('form');
  const status = () => document.querySelector('[data-lab="upload-status"]');
  form.addEventListener('submit', async (event) => { ${handler} });
</script>`;

/** Each page reacts to the submitted file its own way. */
const PAGES: Record<string, string> = {
  // Reports the file it was given, after a moment, the way a page reports S3's answer.
  'reports.html': form(`event.preventDefault();
    status().textContent = 'Uploading…';
    const f = form.querySelector('input').files[0];
    const text = await f.text();
    setTimeout(() => { status().textContent = f.name + ' ' + f.type + ' ' + text.length;
      status().dataset.objectKey = 'incoming/' + f.name; status().dataset.state = 'ok'; }, 50);`),
  // Replaces the status element instead of changing it.
  'replaces.html': form(`event.preventDefault();
    setTimeout(() => { document.getElementById('box').innerHTML =
      '<p data-lab="upload-status" data-state="error">refused</p>'; }, 50);`),
  // Never says how the upload ended.
  'silent.html': form(`event.preventDefault(); status().textContent = 'Uploading…';`),
  // No submit handler that stops the browser: the form navigates.
  'navigates.html': form(''),
  'no-status.html': '<form data-lab="upload-form"><input type="file"></form>',
};

let pages: StaticPages;
beforeAll(async () => {
  if (chromium) pages = await serveStaticPages(chromium, PAGES);
});
afterAll(() => pages?.close());

const open = (name: string): Promise<Page> => pages.open(name);

describe.skipIf(!chromium)('submitting the upload form in one round trip', () => {
  it('chooses the file in the input, submits, and returns once the page reports', async () => {
    const page = await open('reports.html');
    // A stale result from before must not count.
    await page.evaluate(() => {
      const el = (
        globalThis as unknown as {
          document: { querySelector(s: string): { dataset: Record<string, string> } };
        }
      ).document.querySelector('[data-lab="upload-status"]');
      el.dataset['state'] = 'ok';
    });
    const done = await submitInPage(page, file, 10_000);
    expect(done).toEqual({
      missing: [],
      settled: true,
      status: {
        state: 'ok',
        text: `probe.txt text/plain ${file.body.length}`,
        objectKey: 'incoming/probe.txt',
      },
    });
  });

  it('finds a status element the page put in place of the old one', async () => {
    const done = await submitInPage(await open('replaces.html'), file, 10_000);
    expect(done.settled).toBe(true);
    expect(done.status).toEqual({ state: 'error', text: 'refused', objectKey: '' });
  });

  it('gives up after the wait when the page never reports, and says what it shows', async () => {
    const done = await submitInPage(await open('silent.html'), file, 300);
    expect(done.settled).toBe(false);
    expect(done.status).toEqual({ state: '', text: 'Uploading…', objectKey: '' });
  });

  it('names the conventions a page lacks and submits nothing', async () => {
    const done = await submitInPage(await open('no-status.html'), file, 10_000);
    expect(done).toEqual({ missing: ['[data-lab="upload-status"]'] });
  });

  it('rejects when the form navigates away', async () => {
    await expect(submitInPage(await open('navigates.html'), file, 10_000)).rejects.toThrow();
  });
});
