import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROW_IDS } from '../../checks/row-ids.ts';
import { hasChromium, launchChromium } from '../../emulator/test-support/browser.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { lastRunFile, recordLastRun } from '../../checks/report/last-run.ts';
import { runChecks } from '../../checks/runner.ts';
import { deploy } from '../../scripts/deploy.ts';
import { startSite, type RunningSite } from './site-server.ts';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

async function runAll(page: Page): Promise<string> {
  await page.click('#run-all');
  await page.waitForSelector('#run-summary[data-done]', { timeout: 90_000 });
  return (await page.textContent('#run-summary')) ?? '';
}

const rowStatus = (page: Page, id: string) => page.getAttribute(`li.row[data-row="${id}"]`, 'data-status');

describe.skipIf(!hasChromium)('the lab page in Chromium', () => {
  let dir: string;
  let emulator: RunningEmulator;
  let site: RunningSite;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lab-site-'));
    emulator = await startEmulator({ port: 0, dataDir: path.join(dir, 'aws'), quiet: true });
    site = await startSite({
      port: 0,
      frontendDir: path.resolve('solution/frontend'),
      checks: { endpoint: emulator.url, credentials: CREDENTIALS, cwd: dir },
    });
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders the lesson, the checklist and the flow diagram', async () => {
    await page.goto(`${site.url}/`);
    expect(await page.textContent('main.lesson h1')).toMatch(/upload/i);
    expect(await page.locator('main.lesson h2#matching-activity').count()).toBe(1);
    expect(await page.locator('li.row').count()).toBe(ROW_IDS.length);
    expect(await page.locator('.side svg.flow g.part').count()).toBe(7);
    // The lesson's text drawing of the flow is shown as the same figure, the text one click away.
    expect(await page.locator('main.lesson figure.lesson-flow svg.flow g.part').count()).toBe(7);
    expect(await page.textContent('main.lesson figure.lesson-flow details pre')).toContain(
      'upload-ticket Lambda',
    );
    expect(await page.getAttribute('link[rel=icon]', 'href')).toBe('/static/favicon.svg');
    expect((await page.request.get(`${site.url}/static/favicon.svg`)).status()).toBe(200);
    // The activity's sentence is about the page, not about LAB.md's answer table.
    const intro = await page
      .locator('#activity')
      .evaluate((el) => el.previousElementSibling?.textContent ?? '');
    expect(intro).toMatch(/choose an answer for each part/);
    expect(intro).not.toMatch(/in order/);
    const ids = await page.$$eval('[id]', (els) => els.map((el) => el.id));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // Every checklist row of the checker is a row of the page.
    for (const id of ROW_IDS) {
      expect(await page.locator(`li.row[data-row="${id}"]`).count()).toBe(1);
    }
  });

  it('counts right and wrong pairings in the matching activity, and names the wrong one', async () => {
    await page.goto(`${site.url}/`);
    const selects = page.locator('#activity select');
    expect(await selects.count()).toBe(5);
    // The lesson's table holds the right answers, in order.
    const answers = await page.$$eval('#activity select', (els) =>
      els.map((el) => (el as unknown as { dataset: Record<string, string> }).dataset['part'] ?? ''),
    );
    const pairs = JSON.parse((await page.textContent('#lab-data')) ?? '{}').pairs as Array<{
      part: string;
      does: string;
    }>;
    for (const [i, part] of answers.entries()) {
      await selects.nth(i).selectOption(pairs.find((p) => p.part === part)!.does);
    }
    await page.click('#activity button[type=submit]');
    expect(await page.textContent('#match-result')).toBe('5 of 5 matched.');

    // Swap two answers: two wrong, three right, and the message names a wrong pairing.
    await selects.nth(0).selectOption(pairs[1]!.does);
    await selects.nth(1).selectOption(pairs[0]!.does);
    await page.click('#activity button[type=submit]');
    const text = (await page.textContent('#match-result')) ?? '';
    expect(text).toMatch(/^3 of 5 matched\./);
    expect(text).toContain(`${pairs[0]!.part} does not “${pairs[1]!.does}”.`);
    expect(await page.locator('#activity select[data-state="wrong"]').count()).toBe(2);
  });

  it('turns every row green against the local solution and fills the reflection panel', async () => {
    const result = await deploy({
      endpoint: emulator.url,
      credentials: CREDENTIALS,
      stage: 'solution',
      origin: site.url,
      outputsFile: path.join(dir, '.lab', 'outputs.json'),
    });
    expect(result.outputs.frontendOrigin).toBe(site.url);
    await page.goto(`${site.url}/`);
    const summary = await runAll(page);
    expect(summary).toBe('9 passed, 0 failed, 0 skipped');
    expect(await page.locator('li.row[data-status="pass"]').count()).toBe(9);
    expect(await page.locator('.side svg.flow g.part[data-status="pass"]').count()).toBe(7);
    const reflection = (await page.textContent('#upload-reflection')) ?? '';
    expect(reflection).toMatch(/incoming\//);
    expect(reflection).toContain(emulator.url);
  });

  it('fails rows with their hints against the baseline', async () => {
    await deploy({
      endpoint: emulator.url,
      credentials: CREDENTIALS,
      stage: 'baseline',
      origin: site.url,
      outputsFile: path.join(dir, '.lab', 'outputs.json'),
    });
    await page.goto(`${site.url}/`);
    const summary = await runAll(page);
    expect(summary).not.toMatch(/^9 passed/);
    expect(await rowStatus(page, 'api-cors')).toBe('fail');
    const hint = page.locator('li.row[data-row="api-cors"] .row-hint');
    expect(await hint.textContent()).toMatch(/^Fix: /);
    // Code spans are code, not backticks; the hint id links to the lesson part of the step.
    expect(await hint.textContent()).not.toContain('`');
    expect(await hint.locator('code').count()).toBeGreaterThan(0);
    expect(await hint.locator('a.hint-id').textContent()).toMatch(/^api-cors\./);
    const section = (await hint.locator('a.hint-id').getAttribute('href')) ?? '';
    expect(section).toMatch(/^#part-1-/);
    expect(await page.locator(`main.lesson h2${section}`).count()).toBe(1);
    expect(await rowStatus(page, 'browser-upload')).toBe('skip');
    expect(await page.locator('.side svg.flow g.part[data-part="api"][data-status="fail"]').count()).toBe(1);
  });

  it('shows the latest run against this stack, whichever process ran it', async () => {
    // A fresh page shows the page's own last run (the baseline run above), with its time.
    await page.goto(`${site.url}/`);
    await page.waitForSelector('#run-summary[data-last-run]');
    expect(await page.textContent('#run-summary')).toMatch(
      /^Last run .+, by the lab page: \d+ passed, \d+ failed/,
    );
    expect(await rowStatus(page, 'api-cors')).toBe('fail');
    expect(await page.locator('li.row[data-row="api-cors"] .row-hint a.hint-id').count()).toBe(1);

    // A run of the checker from the command line against the same stack replaces it while the page is open.
    await deploy({
      endpoint: emulator.url,
      credentials: CREDENTIALS,
      stage: 'solution',
      origin: site.url,
      outputsFile: path.join(dir, '.lab', 'outputs.json'),
    });
    const options = { endpoint: emulator.url, credentials: CREDENTIALS, cwd: dir, only: ['api-cors'] };
    const report = await runChecks(options);
    expect(report.results.map((r) => [r.id, r.status])).toEqual([['api-cors', 'pass']]);
    await recordLastRun(report, 'npm run check', lastRunFile(dir));
    await page.locator('#run-summary', { hasText: 'npm run check' }).waitFor({ timeout: 15_000 });
    expect(await rowStatus(page, 'api-cors')).toBe('pass');
    // Rows the command line did not run keep their latest result.
    expect(await rowStatus(page, 'ticket-function')).toBe('fail');
  });
});
