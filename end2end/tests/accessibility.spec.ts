import AxeBuilder from '@axe-core/playwright';
import { test, expect, expectRefusedPage, logInByApi, newAccount, open, signUpByApi } from './helpers';

// axe-core audits every page of the app, hydrated, in the light and in the
// dark colour scheme: no violation of impact "serious" or "critical" may be
// left. One line per page: its path, whether the page is seen logged in (as
// the author of the tweets below), the page's <h1> and its HTTP status
// (which prove that the page audited is the one meant). `:me` stands for
// the author's username, `:other` another user's (whose page has Follow
// and Block for the author), `:thread` the other's reply to the author's
// first tweet (which mentions the author, who is notified).
type Audited = { path: string; loggedIn: boolean; heading: string; status?: number };

const pages: Audited[] = [
  { path: '/', loggedIn: false, heading: 'Welcome to Chirp' },
  { path: '/', loggedIn: true, heading: 'Home' },
  { path: '/login', loggedIn: false, heading: 'Log in' },
  { path: '/signup', loggedIn: false, heading: 'Sign up' },
  { path: '/profile', loggedIn: true, heading: 'Your profile' },
  { path: '/logout', loggedIn: true, heading: 'Log out' },
  { path: '/everyone', loggedIn: false, heading: 'Everyone' },
  { path: '/everyone', loggedIn: true, heading: 'Everyone' },
  { path: '/u/:me', loggedIn: false, heading: 'axe Person' },
  { path: '/u/:me', loggedIn: true, heading: 'axe Person' },
  { path: '/u/:me?with_replies=1', loggedIn: true, heading: 'axe Person' },
  { path: '/u/:other', loggedIn: true, heading: 'other Person' },
  { path: '/u/nobody', loggedIn: false, heading: '@nobody', status: 404 },
  { path: '/tags/morning', loggedIn: false, heading: '#morning' },
  { path: '/t/:thread', loggedIn: false, heading: 'Thread' },
  { path: '/t/:thread', loggedIn: true, heading: 'Thread' },
  { path: '/t/1', loggedIn: false, heading: 'Tweet', status: 404 },
  { path: '/notifications', loggedIn: true, heading: 'Notifications' },
  { path: '/search', loggedIn: false, heading: 'Search' },
  { path: '/search?q=morning', loggedIn: true, heading: 'Search' },
  { path: '/no-such-page', loggedIn: false, heading: 'Page not found', status: 404 },
];

// A few tweets, so the timelines have something to show: plain text, a
// long one that wraps, and emoji.
const TWEETS = [
  'Good #morning, everyone!',
  'A longer tweet, so that the timeline has one that wraps onto a second line on a phone and shows how the text flows.',
  'Emoji too 🐦🎉☕',
];

const BLOCKING = ['serious', 'critical'];

// One author with those tweets for the whole file, tweeting once at the
// start: the home page shows everyone's tweets, so tweeting in every test
// would push other files' tweets off the top while they look for them.
const me = newAccount('axe');
const other = newAccount('other');
let thread = '';
test.beforeAll(async ({ playwright }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL;
  const request = await playwright.request.newContext({ baseURL });
  const others = await playwright.request.newContext({ baseURL });
  await signUpByApi(others, other);
  await signUpByApi(request, me);
  const ids: string[] = [];
  for (const body of TWEETS) {
    const posted = await request.post('/api/v2/tweets', { data: { body } });
    expect(posted.status(), await posted.text()).toBe(201);
    ids.push((await posted.json()).id);
  }
  const reply = await others.post('/api/v2/tweets', {
    data: { body: `Morning to you, @${me.username}!`, in_reply_to: ids[0] },
  });
  expect(reply.status(), await reply.text()).toBe(201);
  thread = (await reply.json()).id;
  await request.dispose();
  await others.dispose();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} colour scheme`, () => {
    test.use({ colorScheme });

    for (const { path, loggedIn, heading, status = 200 } of pages) {
      test(`${path} ${loggedIn ? 'logged in' : 'logged out'}: no serious or critical axe violation`, async ({ page, problems }) => {
        // The page's browser context shares its cookies with page.request.
        if (loggedIn) await logInByApi(page.request, me);
        const url = path
          .replace(':me', me.username)
          .replace(':other', other.username)
          .replace(':thread', thread);
        const response = await open(page, url, true);
        expect(response?.status()).toBe(status);
        // Chromium reports a 404 document on the console; that one is meant.
        if (status !== 200) expectRefusedPage(problems, status);
        const h1 = heading.replace(':me', me.username);
        await expect(page.getByRole('heading', { level: 1, name: h1, exact: true })).toHaveCount(1);

        const results = await new AxeBuilder({ page }).analyze();
        const blocking = results.violations.filter((v) => BLOCKING.includes(v.impact ?? ''));
        const report = [
          `serious or critical axe violations on ${url} (${loggedIn ? 'logged in' : 'logged out'}, ${colorScheme}):`,
          ...blocking.map((v) =>
            [
              `- ${v.id} (${v.impact}): ${v.help}`,
              `  ${v.helpUrl}`,
              ...v.nodes.map((node) => {
                const target = node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ');
                const why = (node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ');
                return `  at ${target}: ${why}`;
              }),
            ].join('\n'),
          ),
        ].join('\n');
        expect(blocking.map((v) => v.id), report).toEqual([]);
      });
    }
  });
}
