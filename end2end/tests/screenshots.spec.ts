import { test, expect, hydrated, fillSignUp, newAccount, open, signUpByApi } from './helpers';

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Pictures of the timeline, a profile, a thread and the notifications for
// the README: light and dark, desktop and
// phone. They are written to end2end/screenshots/ and committed.
//
// The home timeline shows everyone's tweets, and other tests tweet at the
// same time; so the pictures come from a release server of their own, on a
// fresh store, for the same picture every run.
const port = Number(process.env.CHIRP_SCREENSHOT_PORT ?? 3101);
const root = join(__dirname, '..', '..');
let server: ChildProcess;

test.use({ baseURL: `http://127.0.0.1:${port}` });

test.beforeAll(async () => {
  server = spawn(join(root, 'target/release/chirp-server'), [], {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env,
      CHIRP_ADDR: `127.0.0.1:${port}`,
      CHIRP_DATA_DIR: mkdtempSync(join(tmpdir(), 'chirp-screenshots-')),
      CHIRP_INSECURE_COOKIES: '1',
      RUST_LOG: 'warn',
    },
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('the screenshot server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

test.afterAll(() => {
  server?.kill('SIGTERM');
});
const sizes = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

test('the timeline, light and dark, desktop and phone', async ({ page, request, problems }) => {
  // Two people, so the avatars differ.
  const grace = { ...newAccount('grace'), username: 'grace_hopper', name: 'Grace Hopper' };
  await signUpByApi(request, grace);
  const ada = { ...newAccount('ada'), username: 'ada_lovelace', name: 'Ada Lovelace' };
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
    // Confirmed by the server, so the reload below cannot cut the post off.
    await expect(page.locator('.tweets > li').first()).not.toHaveClass(/pending/);
  }
  // Ada follows Grace, so Grace's tweet arrives on Ada's home timeline with
  // a reload, as it would.
  const grace_id = (await (await request.get('/api/v1/auth/me')).json()).id;
  const ada_id = (await (await page.request.get('/api/v1/auth/me')).json()).id;
  const followed = await page.request.put(`/api/v1/users/${ada_id}/following/${grace_id}`);
  expect(followed.status()).toBe(204);
  // And likes it.
  const liked = await page.request.put(`/api/v2/tweets/${(await posted.json()).id}/like`);
  expect(liked.status()).toBe(204);
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

  // Grace answers Ada's tweet, mentioning her, and Ada answers back: a
  // thread, and notifications for Ada.
  const adas = (await (await page.request.get(`/api/v2/tweets?tweetedby=ada_lovelace`)).json())
    .tweets_list[0].id;
  const answer = await request.post('/api/v2/tweets', {
    data: { body: 'Hydration without a flash is the best kind, @ada_lovelace. #rust', in_reply_to: adas },
  });
  expect(answer.status()).toBe(201);
  const back = await page.request.post('/api/v2/tweets', {
    data: { body: 'Thank you! The page data ships with the HTML.', in_reply_to: (await answer.json()).id },
  });
  expect(back.status()).toBe(201);
  const graces = await request.put(`/api/v1/users/${grace_id}/following/${ada_id}`);
  expect(graces.status()).toBe(204);
  await page.goto(`/t/${(await answer.json()).id}`);
  await hydrated(page);
  await expect(page.getByRole('list', { name: 'Conversation' }).locator('li')).toHaveCount(2);
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, size] of Object.entries(sizes)) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      await page.screenshot({ path: `screenshots/thread-${scheme}-${device}.png` });
    }
  }
  await page.goto('/notifications');
  await hydrated(page);
  await expect(page.getByRole('list', { name: 'Notifications' }).locator('li')).toHaveCount(2);
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, size] of Object.entries(sizes)) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      await page.screenshot({ path: `screenshots/notifications-${scheme}-${device}.png` });
    }
  }

  // A search: Ada by her name, and Grace's tweet by its word "ada" (from
  // the mention).
  await page.goto('/search?q=ada');
  await hydrated(page);
  await expect(page.getByRole('list', { name: 'People' }).locator('li')).toHaveCount(1);
  await expect(page.locator('.tweets > li').filter({ hasText: 'Hydration without a flash' })).toHaveCount(1);
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, size] of Object.entries(sizes)) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      await page.screenshot({ path: `screenshots/search-${scheme}-${device}.png` });
    }
  }

  // Grace's profile as Ada sees it: following her.
  await page.goto('/u/grace_hopper');
  await hydrated(page);
  await expect(page.getByRole('button', { name: 'Following' })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, size] of Object.entries(sizes)) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      await page.screenshot({ path: `screenshots/profile-${scheme}-${device}.png` });
    }
  }
});
