import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every page in every test is watched: a console error or warning, an
 * uncaught exception, or a failed request fails the test. Hydration
 * mismatches surface as console errors, so this also guards hydration.
 */
export const test = base.extend<{ problems: string[] }>({
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    watch(page, problems);
    await use(problems);
    expect(problems, 'console errors, page errors or failed requests').toEqual([]);
  },
});

function watch(page: Page, problems: string[]) {
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      problems.push(`console.${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText;
    // The browser fetches the favicon on its own and drops that fetch when a
    // quick form post navigates away first; the page asked for nothing.
    if (error === 'net::ERR_ABORTED' && new URL(request.url()).pathname === '/favicon.svg') return;
    problems.push(`request failed: ${request.url()} ${error}`);
  });
  page.on('response', (response) => {
    // Only the page's own navigations may be 4xx on purpose (the 404 page).
    if (response.status() >= 400 && response.request().resourceType() !== 'document') {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
}

/** Resolves once the WASM has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator('.app[data-hydrated="true"]')).toBeAttached();
}

export { expect };
