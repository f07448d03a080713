import { test, expect, expectApiRefusal, fillSignUp, newAccount, open, signUpByApi } from './helpers';

test('relative times move on every 30 seconds in the browser', async ({ page, problems }) => {
  await page.clock.install();
  await open(page, '/signup', true);
  await fillSignUp(page, newAccount('clock'));
  await page.getByPlaceholder('How you doing?').fill('What time is it?');
  await page.getByRole('button', { name: 'Tweet now' }).click();
  const time = page.locator('.tweets > li').first().locator('time');
  await expect(time).toHaveText('now');
  await page.clock.fastForward(65_000);
  await expect(time).toHaveText('a minute ago');
  await page.clock.fastForward('03:00');
  await expect(time).toHaveText('4 minutes ago');
});

for (const js of [true, false]) {
  test(`"Load older" follows the cursor ${js ? 'with' : 'without'} JavaScript`, async ({ browser, request, problems }) => {
    // An author with 25 tweets: a first page of 20, then 5 older ones.
    const author = newAccount('prolific');
    await signUpByApi(request, author);
    for (let i = 1; i <= 25; i++) {
      const posted = await request.post('/api/v2/tweets', { data: { body: `Tweet number ${i}` } });
      expect(posted.status()).toBe(201);
    }
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));

    await open(page, `/u/${author.username}`, js);
    const tweets = page.locator('.tweets > li');
    await expect(tweets).toHaveCount(20);
    await expect(tweets.first()).toContainText('Tweet number 25');
    await expect(tweets.last()).toContainText('Tweet number 6');
    await page.getByRole('link', { name: 'Load older' }).click();
    if (js) {
      // Appended in place, without a reload.
      await expect(tweets).toHaveCount(25);
      await expect(tweets.last()).toContainText('Tweet number 1');
    } else {
      // The next page, as its own address.
      await expect(page).toHaveURL(/max_id=/);
      await expect(tweets).toHaveCount(5);
      await expect(tweets.first()).toContainText('Tweet number 5');
    }
    await expect(page.getByRole('link', { name: 'Load older' })).toHaveCount(0);
    await context.close();
  });
}

test('a double click on "Tweet now" posts once, shown at once and then confirmed', async ({ page, problems }) => {
  const account = newAccount('double');
  await open(page, '/signup', true);
  await fillSignUp(page, account);
  // Hold the server's answer back, to see the pending tweet first.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/v2/tweets', async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  await page.getByPlaceholder('How you doing?').fill('Only once, please');
  await page.getByRole('button', { name: 'Tweet now' }).dblclick();
  const tweets = page.locator('.tweets > li');
  await expect(tweets.first()).toHaveClass(/pending/);
  await expect(tweets.first()).toContainText('Only once, please');
  await expect(page.getByPlaceholder('How you doing?')).toHaveValue('');
  release();
  await expect(tweets.first()).not.toHaveClass(/pending/);
  await expect(tweets.filter({ hasText: 'Only once, please' })).toHaveCount(1);
  const list = await page.request.get(`/api/v2/tweets?tweetedby=${account.username}`);
  expect((await list.json()).tweets_list).toHaveLength(1);
});

test('a post the server refuses leaves the timeline, says why, and gives the text back', async ({ page, problems }) => {
  await open(page, '/signup', true);
  await fillSignUp(page, newAccount('refused'));
  await page.route('**/api/v2/tweets', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 503,
          json: { error: 'unavailable', message: 'storage is unavailable; try again shortly', details: {} },
        })
      : route.continue(),
  );
  await page.getByPlaceholder('How you doing?').fill('Will this work?');
  await page.getByRole('button', { name: 'Tweet now' }).click();
  await expect(page.locator('#composer-error')).toHaveText('Storage is unavailable; try again shortly.');
  await expect(page.locator('.tweets')).not.toContainText('Will this work?');
  await expect(page.getByPlaceholder('How you doing?')).toHaveValue('Will this work?');
  expectApiRefusal(problems, 503, '/api/v2/tweets');
});

test('typing changes nothing in the list or any time; a posted tweet adds its own row and touches no other', async ({ page, problems }) => {
  await open(page, '/signup', true);
  await fillSignUp(page, newAccount('quiet'));
  await expect(page.getByPlaceholder('How you doing?')).toBeVisible();
  for (let i = 1; i <= 3; i++) {
    const posted = await page.request.post('/api/v2/tweets', { data: { body: `Earlier tweet ${i}` } });
    expect(posted.status()).toBe(201);
  }
  await open(page, '/', true);
  // Everyone's timeline: other tests' tweets may be on it too.
  const tweets = page.locator('.tweets > li');
  await expect(tweets.filter({ hasText: 'Earlier tweet 3' })).toHaveCount(1);
  const shown = await tweets.count();

  // Every change under the list from here on, and whether it was inside
  // one of the rows already shown.
  await page.evaluate(() => {
    const list = document.querySelector('.tweets')!;
    const before = new Set(list.querySelectorAll(':scope > li'));
    const seen: string[] = ((window as any).__changes = []);
    const row = (node: Node | null) => (node instanceof Element ? node : node?.parentElement)?.closest('.tweets > li');
    new MutationObserver((records) => {
      for (const r of records) {
        const inside = row(r.target);
        if (inside && before.has(inside)) seen.push(`changed a shown row: ${r.type} in ${inside.textContent}`);
        else if (r.target !== list) seen.push(`changed a new row: ${r.type}`);
        for (const n of r.removedNodes) if (n instanceof HTMLLIElement) seen.push(`removed: ${before.has(n) ? 'a shown row' : n.textContent}`);
        for (const n of r.addedNodes) if (n instanceof HTMLLIElement) seen.push(`added: ${n.textContent}`);
      }
    }).observe(list, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const changes = () => page.evaluate(() => (window as any).__changes as string[]);

  const composer = page.getByPlaceholder('How you doing?');
  await composer.pressSequentially('Quiet please');
  await expect(page.locator('#composer-count')).toHaveText('12/280');
  expect(await changes(), 'typing').toEqual([]);

  await page.getByRole('button', { name: 'Tweet now' }).click();
  await expect(tweets).toHaveCount(shown + 1);
  await expect(tweets.first()).not.toHaveClass(/pending/);
  await expect(tweets.first()).toContainText('Quiet please');
  // Its pending row, then the confirmed one in its place; the rows shown
  // before are the same elements, unchanged.
  const rows = (await changes()).filter((c) => !c.startsWith('changed a new row'));
  expect(rows.every((c) => /^(added|removed): .*Quiet please/.test(c)), rows.join('\n')).toBe(true);
  expect(rows.filter((c) => c.startsWith('added')).length - rows.filter((c) => c.startsWith('removed')).length).toBe(1);
});
