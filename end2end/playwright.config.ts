import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The suite runs the release server on a port of its own with a fresh data
// directory, so it never touches a developer's running instance or data.
const port = Number(process.env.CHIRP_E2E_PORT ?? 3100);
const dataDir = process.env.CHIRP_E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'chirp-e2e-'));
// `CHIRP_E2E_STORE=mongodb` runs the same journeys on MongoDB (MONGODB_URI,
// which the test command points at its own test server), in a database of
// this run's own.
const store = process.env.CHIRP_E2E_STORE ?? 'sqlite';
// `CHIRP_E2E_URL=http://127.0.0.1:3000` runs the suite against a server
// that is already running (e.g. `make dev`) instead of starting one.
const external = process.env.CHIRP_E2E_URL;
const storeEnv: Record<string, string> =
  store === 'mongodb'
    ? {
        CHIRP_STORE: 'mongodb',
        MONGODB_URI: process.env.MONGODB_URI ?? '',
        CHIRP_MONGODB_DATABASE: `chirp_e2e_${Date.now()}`,
      }
    : { CHIRP_STORE: 'sqlite', CHIRP_DATA_DIR: dataDir };

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: external ?? `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright must never download a browser here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: external ? undefined : {
    // Relative to cwd, the repository root, where Leptos.toml points the
    // binary at target/site.
    command: 'target/release/chirp-server',
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      CHIRP_ADDR: `127.0.0.1:${port}`,
      ...storeEnv,
      CHIRP_INSECURE_COOKIES: '1',
      // The suite signs up, posts and edits as a few dozen people from one
      // address; the default limits are for the real world, not for this.
      CHIRP_AUTH_RATE_BURST: '1000',
      CHIRP_POST_RATE_BURST: '1000',
      CHIRP_PROFILE_RATE_BURST: '1000',
      RUST_LOG: 'warn',
    },
  },
});
