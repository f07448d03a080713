import { test, expect, hydrated } from './fixtures';

test('the home page is server-rendered, then hydrates without errors', async ({ page, problems }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  // Before any script runs, the server already sent the whole shell.
  const html = await response!.text();
  expect(html).toContain('data-hydrated="false"');
  expect(html).toContain('Chirp');

  await hydrated(page);
  await expect(page).toHaveTitle('Chirp');
  await expect(page.getByRole('link', { name: 'Chirp' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('the stylesheet and the favicon are served by the app itself', async ({ page, request }) => {
  await page.goto('/');
  await hydrated(page);

  const icon = page.locator('link[rel="icon"]');
  const iconHref = await icon.getAttribute('href');
  expect(iconHref).toBe('/favicon.svg');
  const iconResponse = await request.get(iconHref!);
  expect(iconResponse.status()).toBe(200);
  expect(iconResponse.headers()['content-type']).toContain('image/svg+xml');

  // The stylesheet applied: the header is sticky, as style/main.css says.
  await expect(page.locator('header.topbar')).toHaveCSS('position', 'sticky');
  // No asset comes from another origin.
  const external = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((url) => !url.startsWith(location.origin)),
  );
  expect(external).toEqual([]);
});

test('an unknown address shows the not-found page with status 404', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page).toHaveTitle('Not found · Chirp');

  // The link back navigates client-side once hydrated.
  await page.getByRole('link', { name: 'Back to the timeline' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { name: 'Welcome to Chirp' })).toBeVisible();
});
