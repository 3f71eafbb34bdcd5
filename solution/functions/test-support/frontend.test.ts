import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../../../emulator/test-support/browser.ts';

// solution/frontend/ in real Chromium, served as files; no API behind it. What needs the deployed
// stack (tickets, uploads, the list) is the checker's job (browser-upload, dashboard).
// This file lives here, not beside the frontend, because tsconfig.browser.json checks everything
// in frontend/ as browser code, and this is a Node test.
const DIR = fileURLToPath(new URL('../../frontend/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves the folder; `/app/config.js` is answered with `config` when given (as the site server does). */
async function serve(config?: string) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/app\/?/, '') || 'index.html';
    if (path === 'config.js' && config !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(config);
      return;
    }
    readFile(join(DIR, path)).then(
      (data) => res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/plain' }).end(data),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/app/`,
    close: () => server.close(),
  };
}

describe.skipIf(!hasChromium)('the frontend in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const servers: Array<{ close(): void }> = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of servers) server.close();
  });

  async function open(config?: string) {
    const site = await serve(config);
    servers.push(site);
    page = await browser.newPage();
    await page.goto(site.url);
    return page;
  }

  it('says so when config.js still holds the placeholder', async () => {
    await open();
    const status = page.locator('[data-lab="files-status"][data-state="error"]');
    await expect.poll(() => status.textContent()).toContain('config.js does not name your API yet');
    await page.setInputFiles('form[data-lab="upload-form"] input[type=file]', {
      name: 'a.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello'),
    });
    await page.click('form[data-lab="upload-form"] button[type=submit]');
    const upload = page.locator('[data-lab="upload-status"][data-state="error"]');
    await expect.poll(() => upload.textContent()).toContain('config.js does not name your API yet');
  });

  it('explains a blocked request as CORS, naming the request', async () => {
    // Nothing listens on port 9: fetch fails the way a CORS refusal does, with a bare TypeError.
    await open(`window.LAB_CONFIG = { apiBaseUrl: 'http://127.0.0.1:9' };`);
    const status = page.locator('[data-lab="files-status"][data-state="error"]');
    await expect.poll(() => status.textContent()).toMatch(/blocked GET \/files .*CORS settings/);
  });

  it('refuses an empty or oversized file before asking for a ticket', async () => {
    await open(`window.LAB_CONFIG = { apiBaseUrl: 'http://127.0.0.1:9' };`);
    const input = 'form[data-lab="upload-form"] input[type=file]';
    const status = page.locator('[data-lab="upload-status"]');
    await page.setInputFiles(input, {
      name: 'big.bin',
      mimeType: 'image/png',
      buffer: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    await page.click('form[data-lab="upload-form"] button[type=submit]');
    await expect.poll(() => status.textContent()).toBe('big.bin is 10.0 MiB; the limit is 10.0 MiB.');
    expect(await status.getAttribute('data-state')).toBe('error');
    await page.setInputFiles(input, { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await page.click('form[data-lab="upload-form"] button[type=submit]');
    await expect.poll(() => status.textContent()).toContain('empty.txt is empty');
  });

  it('reads S3 error XML into a message with the code, the message and a hint', async () => {
    await open();
    // A string, so the test runner's transform leaves the browser's own import() alone.
    const message = await page.evaluate(`(async () => {
      const { s3Refusal } = await import('./upload.js');
      const xml = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>EntityTooLarge</Code>' +
        '<Message>Your proposed upload exceeds the maximum allowed size</Message></Error>';
      return [s3Refusal(400, xml).message, s3Refusal(503, 'not xml').message];
    })()`);
    expect(message).toEqual([
      'S3 refused the upload (EntityTooLarge). Your proposed upload exceeds the maximum allowed size ' +
        'The file is bigger than the ticket allows.',
      'S3 refused the upload (HTTP 503).',
    ]);
  });

  it('renders one li[data-key] per file, with names as text', async () => {
    await open();
    const items = await page.evaluate(`(async () => {
      const { renderFiles } = await import('./files.js');
      const list = document.querySelector('[data-lab="file-list"]');
      const file = { size: 2048, contentType: 'image/png', etag: 'e', uploadedAt: '2026-03-01T12:00:00Z' };
      renderFiles(list, [
        { ...file, key: 'incoming/1-a.png', name: '<img src=x onerror=alert(1)>' },
        { ...file, key: 'incoming/2-b.png', name: 'b.png' },
      ]);
      return [...list.querySelectorAll('li')].map((li) => [li.dataset.key, li.querySelector('.file-name').innerHTML]);
    })()`);
    expect(items).toEqual([
      ['incoming/1-a.png', '&lt;img src=x onerror=alert(1)&gt;'],
      ['incoming/2-b.png', 'b.png'],
    ]);
  });
});
