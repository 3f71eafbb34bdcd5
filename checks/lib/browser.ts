import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { debug } from './debug.ts';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const NO_CHROMIUM =
  'no Chromium found: install one with `apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium or Chrome binary';

/** CHROMIUM_PATH, then the usual system paths, then Playwright's own download if it is there. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const fromEnv = env['CHROMIUM_PATH'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const system = SYSTEM_PATHS.find((p) => existsSync(p));
  if (system) return system;
  try {
    const { chromium } = await import('playwright-core');
    const own = chromium.executablePath();
    return own && existsSync(own) ? own : undefined;
  } catch {
    return undefined;
  }
}

export interface SessionOptions {
  /**
   * Whether the session serves more than one run (the default: a bench, the lab page). Such a
   * session makes the next run's page while the last one is released; a one-run session (the
   * CLI's, a run's own) closes the browser instead.
   */
  reuse?: boolean;
}

/**
 * One Chromium, launched on first use (or early, by `warmUp`, so that the launch overlaps with the
 * rows that do not need it). Each page gets its own context, closed with `release` or the browser.
 */
export class BrowserSession {
  #browser: Promise<Browser> | undefined;
  /** A page made before anyone asks (a fresh context and about:blank): opening one takes a while. */
  #spare: Promise<Page> | undefined;
  #asked = false;
  #launches = 0;

  constructor(
    readonly executablePath: string | undefined,
    readonly options: SessionOptions = {},
  ) {}

  get available(): boolean {
    return this.executablePath !== undefined;
  }

  /** How many times this session has started Chromium (once, for a session kept across runs). */
  get launches(): number {
    return this.#launches;
  }

  /**
   * Starts the launch in the background. Resolves once Playwright is loaded and Chromium is being
   * spawned, so that a caller can load other modules while the browser boots on another core.
   */
  async warmUp(): Promise<void> {
    if (!this.available) return;
    await import('playwright-core').catch(() => undefined);
    this.#launch().then(
      () => {
        // Asked before the browser was up: that page is being made, none in advance.
        if (!this.#asked) this.#prepare();
      },
      () => undefined,
    );
  }

  /** A fresh page in its own context (the one made in advance, when there is one). */
  async newPage(): Promise<Page> {
    this.#asked = true;
    const spare = this.#spare;
    this.#spare = undefined;
    return (await spare?.catch(() => undefined)) ?? this.#makePage();
  }

  /**
   * Closes a page's context (its cookies, storage and workers go with it). A session kept for more
   * runs stays up and makes the next page; a one-run session is done and closes the browser.
   */
  async release(page: Page): Promise<void> {
    if (this.options.reuse === false) return this.close();
    await page
      .context()
      .close()
      .catch(() => undefined);
    this.#prepare();
  }

  #prepare(): void {
    if (!this.#browser) return; // closed meanwhile: not to be launched again for a spare page
    this.#spare ??= this.#makePage();
    this.#spare.catch(() => undefined);
  }

  async #makePage(): Promise<Page> {
    const context = await this.newContext();
    debug('context made');
    const page = await context.newPage();
    debug('page made');
    return page;
  }

  async newContext(): Promise<BrowserContext> {
    const browser = await this.#launch();
    return browser.newContext();
  }

  async close(): Promise<void> {
    if (!this.#browser) return;
    const browser = await this.#browser.catch(() => undefined);
    this.#browser = undefined;
    this.#spare = undefined;
    await browser?.close().catch(() => undefined);
  }

  #launch(): Promise<Browser> {
    const executablePath = this.executablePath;
    if (!executablePath) return Promise.reject(new Error(NO_CHROMIUM));
    if (this.#browser) return this.#browser;
    this.#launches += 1;
    this.#browser = import('playwright-core')
      .then(({ chromium }) => chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true }))
      .then((b) => {
        debug('chromium up');
        return b;
      });
    return this.#browser;
  }
}
