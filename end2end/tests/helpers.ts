import { type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { test as watched, expect, hydrated } from './fixtures';

/**
 * The fixtures' `test`, plus one allowance: with JavaScript disabled,
 * Chromium refuses to fetch the page's module scripts (the app's and, on
 * a lazy route, the WASM-split loader; reported as a
 * request failed with "csp") and then warns that the preloaded WASM went
 * unused. That is the browser honouring the setting, not a fault of the
 * page, so exactly those reports are dropped; anything else still fails.
 */
export const test = watched.extend({
  problems: async ({ problems, javaScriptEnabled }, use) => {
    await use(problems);
    if (javaScriptEnabled) return;
    const scriptless = (p: string) =>
      /^request failed: \S+\/pkg\/[\w.-]+\.(js|wasm) csp$/.test(p) ||
      /^console\.warning: The resource \S+\/pkg\/[\w.-]+\.wasm was preloaded using link preload but not used/.test(p);
    for (let i = problems.length - 1; i >= 0; i--) {
      if (scriptless(problems[i])) problems.splice(i, 1);
    }
  },
});

export { expect, hydrated };

/** A username no other test (or earlier run on the same store) has. */
export function uniqueName(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}_${Date.now().toString(36)}${random}`.slice(0, 30);
}

export const PASSWORD = 'correct horse battery';

export type Account = { username: string; password: string; email: string; name: string };

export function newAccount(prefix: string): Account {
  const username = uniqueName(prefix);
  return { username, password: PASSWORD, email: `${username}@example.com`, name: `${prefix} Person` };
}

/** Signs up through the JSON API (for tests about something else). */
export async function signUpByApi(request: APIRequestContext, account: Account) {
  const response = await request.post('/api/v1/users', {
    data: {
      username: account.username,
      password: account.password,
      email: account.email,
      name: account.name,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
}

/** Logs in through the JSON API: `request`'s context gets the session. */
export async function logInByApi(request: APIRequestContext, account: Account) {
  const response = await request.post('/api/v1/auth/login', {
    data: { username: account.username, password: account.password },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** Opens a page and, when JavaScript runs, waits for hydration. */
export async function open(page: Page, path: string, js: boolean) {
  const response = await page.goto(path);
  if (js) await hydrated(page);
  return response;
}

export async function fillSignUp(page: Page, account: Account) {
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Full name').fill(account.name);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

export async function logIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/**
 * Some journeys provoke a refusal on purpose: a wrong password is a 401,
 * from the JSON API when the WASM runs, or as the status of the re-rendered
 * login page when it does not. Chromium reports each such response on the
 * console ("Failed to load resource"), which the `problems` fixture rightly
 * counts. These check that exactly the expected refusals happened and take
 * exactly them off the list; anything else still fails the test.
 */
export function expectApiRefusal(problems: string[], status: number, path: string, times = 1) {
  const isResponse = (p: string) =>
    p.startsWith(`HTTP ${status}: `) && new URL(p.slice(p.indexOf(': ') + 2)).pathname === path;
  expect(problems.filter(isResponse), `HTTP ${status} from ${path}`).toHaveLength(times);
  take(problems, isResponse, times);
  takeConsole(problems, status, times);
}

/** A form re-rendered by the server with its refusal's status. */
export function expectRefusedPage(problems: string[], status: number, times = 1) {
  takeConsole(problems, status, times);
}

function takeConsole(problems: string[], status: number, times: number) {
  const isConsole = (p: string) =>
    p.startsWith('console.error: Failed to load resource') && p.includes(`status of ${status} `);
  expect(problems.filter(isConsole), `console reports of HTTP ${status}`).toHaveLength(times);
  take(problems, isConsole, times);
}

function take(problems: string[], matches: (p: string) => boolean, times: number) {
  for (let n = 0; n < times; n++) {
    const index = problems.findIndex(matches);
    if (index >= 0) problems.splice(index, 1);
  }
}

/** The relative time chrono-humanize prints for a moment ago. */
export const JUST_NOW = /^(now|\d+ seconds ago)$/;

/** A browser of its own for `account`, signed up and logged in. */
export async function person(browser: Browser, account: Account, js: boolean, problems: string[]) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  await signUpByApi(context.request, account);
  return { context, page };
}

export const tweetsOf = (page: Page) => page.locator('.tweets > li');

/**
 * Clicks, and with JavaScript waits for the API's answer to the change the
 * click made at once (a reload or a navigation right after would cut the
 * request off); without, the click's form post and redirect are the wait.
 */
export async function saved(page: Page, js: boolean, method: string, path: string, click: () => Promise<void>) {
  if (!js) return click();
  const answered = page.waitForResponse(
    (r) => r.request().method() === method && new URL(r.url()).pathname.includes(path),
  );
  await click();
  await answered;
}
