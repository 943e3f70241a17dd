import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run); Playwright's own browser download cannot work offline. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Every request the page makes to anywhere but `baseUrl` is recorded and aborted: a page that needs
 * a CDN fails the test instead of silently reaching out.
 */
export async function recordForeignRequests(page: Page, baseUrl: string): Promise<string[]> {
  const foreign: string[] = [];
  const origin = new URL(baseUrl).origin;
  const socket = origin.replace(/^http/, 'ws');
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith(socket) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  return foreign;
}
