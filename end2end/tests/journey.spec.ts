import { test, expect, JUST_NOW, fillSignUp, logIn, newAccount, open } from './helpers';

// The whole life of an account, once with the WASM enhancing the forms and
// once as plain HTML forms posting to the server.
for (const js of [true, false]) {
  test.describe(js ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: js });

    test('sign up, tweet, reload, update the profile, log out, log in, log out', async ({ page, problems }) => {
      const account = newAccount(js ? 'js' : 'html');
      const body = `Hello from ${account.username} ${js ? 'with' : 'without'} JavaScript`;

      // Sign up → the timeline.
      await open(page, '/signup', js);
      await fillSignUp(page, account);
      await expect(page).toHaveURL('/');
      const composer = page.getByPlaceholder('How you doing?');
      await expect(composer).toBeVisible();

      // Post → at the top, "now".
      await composer.fill(body);
      if (js) await expect(page.locator('#composer-count')).toHaveText(`${body.length}/280`);
      await page.getByRole('button', { name: 'Tweet now' }).click();
      const first = page.locator('.tweets > li').first();
      await expect(first).toContainText(body);
      await expect(first).not.toHaveClass(/pending/);
      await expect(first.locator('.author')).toHaveText(account.username);
      await expect(first.locator('.avatar')).toHaveText(account.username[0].toUpperCase());
      await expect(first.locator('time')).toHaveText(JUST_NOW);
      await expect(first.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
      if (js) await expect(composer).toHaveValue('');

      // Reload → still there.
      await page.reload();
      if (js) await expect(page.locator('.app[data-hydrated="true"]')).toBeAttached();
      await expect(page.locator('.tweets > li').first()).toContainText(body);

      // Profile: a new name, a bio and a new password.
      await page.getByRole('navigation').getByRole('link', { name: 'Profile' }).click();
      await expect(page).toHaveURL('/profile');
      await expect(page.getByLabel('Full name')).toHaveValue(account.name);
      await expect(page.getByLabel('E-mail')).toHaveValue(account.email);
      const newPassword = 'a brand new secret';
      await page.getByLabel('Full name').fill('Renamed Person');
      await page.getByLabel('Bio').fill('Tea & #rust in the morning');
      await page.getByLabel('Current password').fill(account.password);
      await page.getByLabel('New password').fill(newPassword);
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('status')).toHaveText('Saved.');
      await page.reload();
      await expect(page.getByLabel('Full name')).toHaveValue('Renamed Person');
      await expect(page.getByLabel('Bio')).toHaveValue('Tea & #rust in the morning');
      // The bio is on the profile, its hashtag a link.
      await page.goto(`/u/${account.username}`);
      const card = page.getByRole('region', { name: 'Profile' });
      await expect(card).toContainText('Tea & #rust in the morning');
      await expect(card.getByRole('link', { name: '#rust' })).toHaveAttribute('href', '/tags/rust');
      await page.goto('/');

      // Log out → the login form.
      await page.getByRole('navigation').getByRole('button', { name: 'Logout' }).click();
      await expect(page).toHaveURL('/');
      await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
      await expect(page.getByRole('navigation').getByRole('link', { name: 'Profile' })).toHaveCount(0);

      // Log in with the new password → the tweet is there.
      await logIn(page, account.username, newPassword);
      await expect(page).toHaveURL('/');
      await expect(page.locator('.tweets > li').first()).toContainText(body);

      // And log out again.
      await page.getByRole('navigation').getByRole('button', { name: 'Logout' }).click();
      await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    });
  });
}
