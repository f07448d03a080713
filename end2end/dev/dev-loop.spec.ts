import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';

// Run by scripts/dev-check.sh against `make dev` (cargo leptos watch): a
// style change is applied in place, a Rust change rebuilds and reloads the
// page, and nothing on the page complains (the live-reload socket used to
// be refused by the page's CSP on every page).

const root = join(__dirname, '..', '..');
const stylesheet = join(root, 'style', 'main.css');
const header = join(root, 'app', 'src', 'components', 'header.rs');
const brand = '<span>"Chirp"</span>';
const changedBrand = '<span>"Chirp, rebuilt"</span>';

function change(file: string, edit: (text: string) => string): () => void {
  const original = readFileSync(file, 'utf8');
  const changed = edit(original);
  if (changed === original) throw new Error(`nothing to change in ${file}`);
  writeFileSync(file, changed);
  return () => writeFileSync(file, original);
}

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    // The watcher restarts the server after a Rust change, which drops
    // the socket for a moment; the script says so and reconnects.
    if (msg.text().startsWith('Live-reload disconnected')) return;
    if (msg.type() === 'error' || msg.type() === 'warning') {
      problems.push(`console.${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

const brandColour = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.querySelector('.brand')!).color);

test('a style change applies in place and a Rust change reloads the page', async ({ page }) => {
  const problems = watch(page);
  await page.goto('/');
  await expect(page.locator('.app[data-hydrated="true"]')).toBeAttached({ timeout: 60_000 });
  // Lives as long as this page does: a reload clears it.
  await page.evaluate(() => ((window as any).devCheck = 'same page'));
  expect(problems).toEqual([]);

  const restoreStyle = change(stylesheet, (css) => `${css}\n.brand { color: rgb(1, 2, 3); }\n`);
  try {
    await expect.poll(() => brandColour(page), { timeout: 120_000 }).toBe('rgb(1, 2, 3)');
    expect(await page.evaluate(() => (window as any).devCheck)).toBe('same page');
  } finally {
    restoreStyle();
  }

  const restoreHeader = change(header, (rust) => rust.replace(brand, changedBrand));
  try {
    await expect(page.locator('.brand')).toHaveText('Chirp, rebuilt', { timeout: 15 * 60_000 });
    expect(await page.evaluate(() => (window as any).devCheck)).toBeUndefined();
    await expect(page.locator('.app[data-hydrated="true"]')).toBeAttached({ timeout: 60_000 });
  } finally {
    restoreHeader();
  }
  expect(problems).toEqual([]);
});
