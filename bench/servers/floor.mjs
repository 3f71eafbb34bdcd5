// The floor for `npm run check`: a bare Node process (no tsx, no AWS SDK) that imports
// playwright-core, launches Chromium, loads one page and makes one cross-origin fetch, then exits.
//   node bench/servers/floor.mjs CHROMIUM [FLAG…]
/* global document */
import { createServer } from 'node:http';

const [executablePath, ...args] = process.argv.slice(2);
if (!executablePath) throw new Error('usage: floor.mjs CHROMIUM [FLAG…]');

const server = createServer((req, res) => {
  if (req.url === '/data') {
    res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    return res.end('ok');
  }
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<!doctype html><title>floor</title><script>
    fetch('http://localhost:${server.address().port}/data')
      .then((r) => r.text())
      .then((t) => { document.body.dataset.fetched = t; });
  </script>`);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath, args, headless: true });
try {
  const page = await browser.newPage();
  // The page is on 127.0.0.1, the fetch goes to localhost: another origin, answered with CORS.
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.body?.dataset.fetched === 'ok', null, { timeout: 10_000 });
} finally {
  await browser.close();
  server.close();
}
