import { test, expect, expectApiRefusal, expectRefusedPage, fillSignUp, logIn, newAccount, open, signUpByApi } from './helpers';

for (const js of [true, false]) {
  test.describe(js ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: js });

    test('a wrong password gets the one generic error', async ({ page, request, problems }) => {
      const account = newAccount('wrongpw');
      await signUpByApi(request, account);

      await open(page, '/login', js);
      await logIn(page, account.username, 'not the password');
      await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
      // An unknown user reads exactly the same.
      await logIn(page, 'nobody_by_this_name', 'not the password');
      await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
      // What was typed stays; the password does not.
      await expect(page.getByLabel('Username')).toHaveValue('nobody_by_this_name');
      await expect(page.getByRole('navigation').getByRole('link', { name: 'Log in' })).toBeVisible();
      if (js) expectApiRefusal(problems, 401, '/api/v1/auth/login', 2);
      else expectRefusedPage(problems, 401, 2);
    });

    test('a taken username is marked on its field', async ({ page, request, problems }) => {
      const taken = newAccount('taken');
      await signUpByApi(request, taken);

      await open(page, '/signup', js);
      await fillSignUp(page, { ...newAccount('other'), username: taken.username });
      await expect(page.getByRole('alert')).toHaveText('Please correct the fields marked below.');
      const username = page.getByLabel('Username');
      await expect(username).toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('#field-username-error')).toHaveText('This username is already taken.');
      await expect(username).toHaveValue(taken.username);
      await expect(page.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'false');
      if (js) expectApiRefusal(problems, 409, '/api/v1/users');
      else expectRefusedPage(problems, 409);
    });

    test('a 281-character tweet is refused', async ({ page, problems }) => {
      await open(page, '/signup', js);
      await fillSignUp(page, newAccount('long'));
      await expect(page).toHaveURL('/');

      // 281 characters as people count them: each skin-toned thumb is one
      // character but four UTF-16 code units.
      const body = '👍🏽'.repeat(281);
      await page.getByPlaceholder('How you doing?').fill(body);
      const send = page.getByRole('button', { name: 'Tweet now' });
      if (js) {
        // The UI blocks it: red counter, disabled button.
        await expect(page.locator('#composer-count')).toHaveText('281/280');
        await expect(page.locator('#composer-count')).toHaveClass(/over/);
        await expect(send).toBeDisabled();
        await page.getByPlaceholder('How you doing?').fill('👍🏽'.repeat(280));
        await expect(page.locator('#composer-count')).not.toHaveClass(/over/);
        await expect(send).toBeEnabled();
      } else {
        // Without WASM the server refuses it and the page says why.
        await send.click();
        await expect(page.getByRole('alert')).toHaveText('A tweet holds at most 280 characters.');
        await expect(page.getByPlaceholder('How you doing?')).toHaveValue(body);
        await expect(send).toBeEnabled(); // to send it again once shortened
        expectRefusedPage(problems, 422);
      }
      // Either way the server refuses it when asked directly.
      const direct = await page.request.post('/api/v2/tweets', { data: { body } });
      expect(direct.status()).toBe(422);
      expect((await direct.json()).details.body).toEqual(['too_long']);
      await page.goto('/');
      await expect(page.locator('.tweets')).not.toContainText('👍🏽');
    });
  });
}

test('another browser sees the first user\'s tweet after a reload', async ({ page, browser, problems }) => {
  const author = newAccount('author');
  await open(page, '/signup', true);
  await fillSignUp(page, author);
  await expect(page).toHaveURL('/');

  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await open(readerPage, '/signup', true);
  await fillSignUp(readerPage, newAccount('reader'));
  await expect(readerPage.getByPlaceholder('How you doing?')).toBeVisible();
  // The reader follows nobody: the author's tweets are on Everyone.
  await readerPage.getByRole('link', { name: 'Everyone' }).click();
  await expect(readerPage).toHaveURL('/everyone');

  const body = `News from ${author.username}`;
  await page.getByPlaceholder('How you doing?').fill(body);
  await page.getByRole('button', { name: 'Tweet now' }).click();
  await expect(page.locator('.tweets > li').first()).toContainText(body);
  await expect(page.locator('.tweets > li').first()).not.toHaveClass(/pending/);

  await expect(readerPage.locator('.tweets')).not.toContainText(body);
  await readerPage.reload();
  await expect(readerPage.locator('.tweets > li').first()).toContainText(body);
  // And on the author's own page, by the link on their name.
  await readerPage.locator('.tweets > li').first().getByRole('link', { name: author.username }).click();
  await expect(readerPage).toHaveURL(`/u/${author.username}`);
  await expect(readerPage.getByRole('heading', { level: 1, name: author.name })).toBeVisible();
  await expect(readerPage.locator('.tweets > li').first()).toContainText(body);
  await reader.close();
});
