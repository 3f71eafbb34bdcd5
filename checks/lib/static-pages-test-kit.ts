import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BrowserSession } from './browser.ts';
import { startFrontendServer } from './frontend-server.ts';

/** Test pages (name → HTML) served by the checker's frontend server, opened in one shared Chromium. */
export interface StaticPages {
  open(name: string): Promise<Page>;
  close(): Promise<void>;
}

export async function serveStaticPages(
  chromium: string,
  pages: Record<string, string>,
): Promise<StaticPages> {
  const dir = await mkdtemp(join(tmpdir(), 'check-pages-'));
  for (const [name, html] of Object.entries(pages)) await writeFile(join(dir, name), html);
  const server = await startFrontendServer({ dir, apiBaseUrl: 'http://api.example', port: 0 });
  const session = new BrowserSession(chromium);
  return {
    async open(name) {
      const page = await session.newPage();
      await page.goto(`${server.url}${name}`);
      return page;
    },
    async close() {
      await session.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
