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

/**
 * One Chromium per run, launched on first use (or early, by `warmUp`, so that the launch overlaps
 * with the rows that do not need it). Each caller gets its own context, closed with the browser.
 */
export class BrowserSession {
  #browser: Promise<Browser> | undefined;
  /** A page made as soon as the browser is up, before anyone asks: opening one takes a while. */
  #spare: Promise<Page> | undefined;
  #spareTaken = false;

  constructor(readonly executablePath: string | undefined) {}

  get available(): boolean {
    return this.executablePath !== undefined;
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
        if (this.#spareTaken) return;
        this.#spare ??= this.#makePage();
        this.#spare.catch(() => undefined);
      },
      () => undefined,
    );
  }

  /** A fresh page in its own context (the one made in advance, when there is one). */
  async newPage(): Promise<Page> {
    const spare = this.#spare;
    this.#spare = undefined;
    // Asked before the browser was up: no page in advance any more, this one is it.
    this.#spareTaken = true;
    return (await spare?.catch(() => undefined)) ?? this.#makePage();
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
    this.#browser ??= import('playwright-core')
      .then(({ chromium }) => chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true }))
      .then((b) => {
        debug('chromium up');
        return b;
      });
    return this.#browser;
  }
}
