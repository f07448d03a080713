import { test, expect, hydrated, newAccount, open, person, saved, tweetsOf, uniqueName } from './helpers';

// Two people in two browsers: Bob opens Ann's tweet from its time, replies
// to it mentioning her; the mention is a link; Ann's header counts the
// notification, the notifications page says who did what and leads to the
// thread, with her tweet above his answer; the search box finds Bob by
// his name and her tweet by its words; marking it read clears the count. Once with JavaScript (the reply through the Flux store) and once
// without (form posts and redirects).

for (const js of [true, false]) {
  test(`reply, thread, mention and notification, ${js ? 'with' : 'without'} JavaScript`, async ({ browser, problems }) => {
    const word = uniqueName('tea');
    const ann = newAccount('ann');
    const bob = { ...newAccount('bob'), name: `Bob ${word}` };
    const a = await person(browser, ann, js, problems);
    const b = await person(browser, bob, js, problems);
    const asked = await a.context.request.post('/api/v2/tweets', {
      data: { body: `Tea or coffee, ${word}?` },
    });
    expect(asked.status()).toBe(201);

    // Bob finds it on Everyone and opens its thread from its time.
    await open(b.page, '/everyone', js);
    await tweetsOf(b.page).filter({ hasText: word }).locator('a.permalink').click();
    await expect(b.page).toHaveURL(/\/t\/\d+$/);
    if (js) await hydrated(b.page);
    await expect(b.page.getByRole('heading', { level: 1, name: 'Thread' })).toBeVisible();
    const conversation = b.page.getByRole('list', { name: 'Conversation' });
    await expect(conversation).toContainText(`Tea or coffee, ${word}?`);

    // He replies, mentioning her: the reply lands under it.
    await b.page.getByPlaceholder('Post your reply').fill(`Tea, always, @${ann.username}`);
    await saved(b.page, js, 'POST', '/api/v2/tweets', () =>
      b.page.getByRole('button', { name: 'Reply', exact: true }).click(),
    );
    const replies = b.page.getByRole('list', { name: 'Replies' }).locator('li');
    await expect(replies.filter({ hasText: 'Tea, always' })).toHaveCount(1);
    await expect(replies.and(b.page.locator('.pending'))).toHaveCount(0);
    await b.page.reload();
    await expect(conversation.getByRole('link', { name: 'Reply (1 reply)' })).toBeVisible();
    // The mention is a link to her profile.
    const mention = replies.getByRole('link', { name: `@${ann.username}` });
    await expect(mention).toHaveAttribute('href', `/u/${ann.username}`);

    // Ann's header counts it; the notifications page says who and what.
    await open(a.page, '/', js);
    const bell = a.page.getByRole('link', { name: /^Notifications/ });
    await expect(bell.locator('.badge')).toContainText('1');
    await bell.click();
    await expect(a.page).toHaveURL('/notifications');
    const told = a.page.getByRole('list', { name: 'Notifications' }).locator('li');
    await expect(told).toHaveCount(1, { timeout: 10_000 });
    await expect(told.first()).toContainText(`${bob.username} replied to your tweet`);
    await expect(told.first()).toContainText('Tea, always');

    // From there, the thread: her question above his answer.
    await told.first().getByRole('link', { name: 'Open the tweet' }).click();
    await expect(a.page).toHaveURL(/\/t\/\d+$/);
    const thread = a.page.getByRole('list', { name: 'Conversation' }).locator('li');
    await expect(thread).toHaveCount(2);
    await expect(thread.first()).toContainText(`Tea or coffee, ${word}?`);
    await expect(thread.last()).toContainText('Tea, always');
    await thread.last().getByRole('link', { name: `@${ann.username}` }).click();
    await expect(a.page).toHaveURL(`/u/${ann.username}`);

    // The search box finds Bob by his name and his answer by a word.
    await open(a.page, '/search', js);
    await a.page.getByLabel('Search people and tweets').fill(bob.name);
    await a.page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(a.page).toHaveURL(/\/search\?q=/);
    await expect(a.page.getByRole('list', { name: 'People' }).getByRole('link', { name: new RegExp(bob.username) })).toBeVisible();
    await open(a.page, `/search?q=${encodeURIComponent(`always ${word}`)}`, js);
    await expect(tweetsOf(a.page)).toHaveCount(0);
    await open(a.page, `/search?q=${encodeURIComponent(`coffee ${word}`)}`, js);
    await expect(tweetsOf(a.page).filter({ hasText: `Tea or coffee, ${word}?` })).toHaveCount(1);

    // Read, the count goes.
    await open(a.page, '/notifications', js);
    await a.page.getByRole('button', { name: 'Mark all as read' }).click();
    await expect(a.page).toHaveURL('/notifications');
    await expect(a.page.getByRole('button', { name: 'Mark all as read' })).toBeHidden();
    await expect(a.page.locator('.notifications-link .badge')).toBeHidden();
    await a.context.close();
    await b.context.close();
  });
}
