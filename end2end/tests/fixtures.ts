import { test as base, expect, type Page, type Request } from '@playwright/test';

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
  // A navigation cancels what the page it leaves was still fetching (the
  // favicon, a lazy route's WASM chunks when a test clicks on before they
  // land), and the browser reports those as ERR_ABORTED: no failure. An
  // abort stands as a problem unless the main frame navigated after the
  // request began (the two events come in either order).
  let navigations = 0;
  const begunAt = new WeakMap<Request, number>();
  const cancelled: string[] = [];
  page.on('request', (request) => begunAt.set(request, navigations));
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return;
    navigations += 1;
    for (const problem of cancelled.splice(0)) {
      const index = problems.indexOf(problem);
      if (index >= 0) problems.splice(index, 1);
    }
  });
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText;
    const aborted = error === 'net::ERR_ABORTED';
    if (aborted && navigations > (begunAt.get(request) ?? navigations)) return;
    const problem = `request failed: ${request.url()} ${error}`;
    problems.push(problem);
    if (aborted) cancelled.push(problem);
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
