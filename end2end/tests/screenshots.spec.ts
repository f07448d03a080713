import { test, expect, hydrated, fillSignUp, newAccount, open, signUpByApi } from './helpers';

// Pictures of the timeline for the README: light and dark, desktop and
// phone. They are written to end2end/screenshots/ and committed.
const sizes = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

test('the timeline, light and dark, desktop and phone', async ({ page, request, problems }) => {
  // Two people, so the avatars differ.
  const grace = { ...newAccount('grace'), name: 'Grace Hopper' };
  await signUpByApi(request, grace);
  const ada = { ...newAccount('ada'), name: 'Ada Lovelace' };
  await open(page, '/signup', true);
  await fillSignUp(page, ada);
  await expect(page).toHaveURL('/');
  const composer = page.getByPlaceholder('How you doing?');
  const posted = await request.post('/api/v2/tweets', {
    data: { body: 'A ship in port is safe, but that is not what ships are built for.' },
  });
  expect(posted.status()).toBe(201);
  for (const body of [
    'The Analytical Engine weaves algebraic patterns just as the Jacquard loom weaves flowers and leaves.',
    'Chirp renders on the server and hydrates in the browser, without a flash.',
  ]) {
    await composer.fill(body);
    await page.getByRole('button', { name: 'Tweet now' }).click();
    await expect(page.locator('.tweets > li').first()).toContainText(body);
  }
  // Grace's tweet arrives with a reload, as it would for Ada.
  await page.reload();
  await hydrated(page);
  await composer.fill('Drafting a reply…');

  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, size] of Object.entries(sizes)) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      await expect(page.locator('.tweets > li')).toHaveCount(3);
      await page.screenshot({ path: `screenshots/timeline-${scheme}-${device}.png` });
    }
  }
});
