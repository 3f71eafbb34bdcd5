import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './browser.ts';
import { pageShowsFile } from './page-shows-file.ts';
import { serveStaticPages, type StaticPages } from './static-pages-test-kit.ts';

const chromium = await findChromium();
const KEY = 'incoming/a "quoted" name.txt';

const page = (body: string, script: string) => `<!doctype html>${body}
<ul data-lab="file-list"></ul>
<script>
  const list = document.querySelector('[data-lab="file-list"]');
  const add = () => { const li = document.createElement('li'); li.dataset.key = ${JSON.stringify(KEY)}; list.append(li); };
  ${script}
</script>`;

const refresh = '<button data-lab="refresh">Refresh</button>';
const PAGES: Record<string, string> = {
  'listed.html': page('', 'add();'),
  // Lists the file once refresh is pressed (after a moment, as a fetch would).
  'on-refresh.html': page(
    refresh,
    `document.querySelector('button').addEventListener('click', () => setTimeout(add, 50));`,
  ),
  // The button is disabled while the page loads; a click then does nothing.
  'disabled-first.html': page(
    refresh.replace('>Refresh', ' disabled>Refresh'),
    `const b = document.querySelector('button');
     b.addEventListener('click', () => setTimeout(add, 50));
     setTimeout(() => (b.disabled = false), 200);`,
  ),
  // Refresh does nothing.
  'stale.html': page(refresh, ''),
  // No refresh button: a reload shows the file.
  'reload.html': page('', `if (sessionStorage.getItem('seen')) add(); sessionStorage.setItem('seen', '1');`),
};

let pages: StaticPages;
beforeAll(async () => {
  if (chromium) pages = await serveStaticPages(chromium, PAGES);
});
afterAll(() => pages?.close());

const open = (name: string): Promise<Page> => pages.open(name);

describe.skipIf(!chromium)('whether the page lists a file', () => {
  it('is true at once when the list already has it', async () => {
    expect(await pageShowsFile(await open('listed.html'), KEY, 10_000)).toBe(true);
  });

  it('presses refresh and waits for the item', async () => {
    expect(await pageShowsFile(await open('on-refresh.html'), KEY, 10_000)).toBe(true);
  });

  it('presses a disabled refresh once it is enabled', async () => {
    expect(await pageShowsFile(await open('disabled-first.html'), KEY, 10_000)).toBe(true);
  });

  it('is false when refresh does not bring the file', async () => {
    expect(await pageShowsFile(await open('stale.html'), KEY, 300)).toBe(false);
  });

  it('reloads a page without a refresh button', async () => {
    expect(await pageShowsFile(await open('reload.html'), KEY, 10_000)).toBe(true);
  });
});
