import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession, findChromium } from './browser.ts';
import { startFrontendServer, type FrontendServer } from './frontend-server.ts';

const chromium = await findChromium();
let dir: string;
let server: FrontendServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'browser-session-'));
  // Remembers, in the origin's storage, how often it was opened.
  await writeFile(
    join(dir, 'count.html'),
    `<p id="n"></p><script>
      const n = Number(localStorage.getItem('n') ?? 0) + 1;
      localStorage.setItem('n', String(n));
      document.getElementById('n').textContent = String(n);
    </script>`,
  );
  server = await startFrontendServer({ dir, apiBaseUrl: 'http://api.example', port: 0 });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

type Page = Awaited<ReturnType<BrowserSession['newPage']>>;
const openCount = async (page: Page) => {
  await page.goto(`${server.url}count.html`);
  return page.textContent('#n');
};

describe.skipIf(!chromium)('a browser session', () => {
  it('kept for more runs: each run gets a fresh context, the browser stays up', async () => {
    const session = new BrowserSession(chromium);
    try {
      await session.warmUp();
      const first = await session.newPage();
      expect(await openCount(first)).toBe('1');
      const browser = first.context().browser();
      await session.release(first);
      expect(first.isClosed()).toBe(true);
      const second = await session.newPage();
      expect(second.context()).not.toBe(first.context());
      expect(second.context().browser()).toBe(browser);
      expect(browser?.isConnected()).toBe(true);
      // Nothing of the last run's page is left: its storage went with its context.
      expect(await openCount(second)).toBe('1');
      expect(session.launches).toBe(1);
    } finally {
      await session.close();
    }
  });

  it('for one run: releasing its page closes the browser', async () => {
    const session = new BrowserSession(chromium, { reuse: false });
    try {
      const page = await session.newPage();
      const browser = page.context().browser();
      await session.release(page);
      expect(browser?.isConnected()).toBe(false);
    } finally {
      await session.close();
    }
  });
});
