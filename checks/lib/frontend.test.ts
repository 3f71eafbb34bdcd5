import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession, findChromium } from './browser.ts';
import { ensureFrontend } from './frontend-ensure.ts';
import { startFrontendServer } from './frontend-server.ts';

const chromium = await findChromium();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frontend-'));
  await writeFile(
    join(dir, 'index.html'),
    '<script src="config.js"></script><p id="api"></p><script>document.getElementById("api").textContent = window.LAB_CONFIG.apiBaseUrl</script>',
  );
  await writeFile(join(dir, 'config.js'), 'window.LAB_CONFIG = { apiBaseUrl: "PLACEHOLDER" };');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe('the frontend server', () => {
  it('serves the folder under /app/ and answers config.js from the outputs', async () => {
    let api = 'http://one';
    const server = await startFrontendServer({ dir, apiBaseUrl: () => api, port: 0 });
    try {
      expect(server.url).toBe(`http://localhost:${server.port}/app/`);
      const index = await fetch(server.url);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await index.text()).toContain('config.js');
      api = 'http://two';
      expect(await (await fetch(`${server.url}config.js`)).text()).toBe(
        'window.LAB_CONFIG = { apiBaseUrl: "http://two" };\n',
      );
      expect((await fetch(`${server.url}missing.js`)).status).toBe(404);
      expect((await fetch(`${server.url}..%2f..%2fetc%2fpasswd`)).status).toBe(403);
      expect((await fetch(`http://localhost:${server.port}/other`)).status).toBe(404);
      const bare = await fetch(`http://localhost:${server.port}/app`, { redirect: 'manual' });
      expect([bare.status, bare.headers.get('location')]).toEqual([301, '/app/']);
    } finally {
      await server.close();
    }
  });

  it('is started for the run when nothing answers at a local frontend URL, and not otherwise', async () => {
    const port = await freePort();
    const url = `http://localhost:${port}/app/`;
    const started = await ensureFrontend(url, dir, 'http://api');
    try {
      expect(started?.port).toBe(port);
      expect(await (await fetch(`${url}config.js`)).text()).toContain('"http://api"');
      expect(await ensureFrontend(url, dir, 'http://other')).toBeUndefined();
    } finally {
      await started?.close();
    }
    expect(await ensureFrontend('http://example.invalid/app/', dir, 'http://api')).toBeUndefined();
  });
});

describe('Chromium', () => {
  it('is found from CHROMIUM_PATH only when that file exists', async () => {
    expect(await findChromium({ CHROMIUM_PATH: join(dir, 'index.html') })).toBe(join(dir, 'index.html'));
    expect(await findChromium({ CHROMIUM_PATH: join(dir, 'no-such-browser') })).toBeUndefined();
  });

  it.skipIf(!chromium)('loads the served frontend with its config', async () => {
    const server = await startFrontendServer({ dir, apiBaseUrl: 'http://api.example', port: 0 });
    const session = new BrowserSession(chromium);
    try {
      const context = await session.newContext();
      const page = await context.newPage();
      await page.goto(server.url);
      expect(await page.textContent('#api')).toBe('http://api.example');
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('reports that no browser exists instead of launching one', async () => {
    const session = new BrowserSession(undefined);
    expect(session.available).toBe(false);
    await expect(session.newContext()).rejects.toThrow(
      /no Chromium found: install one with `apt-get install -y chromium`/,
    );
  });
});
