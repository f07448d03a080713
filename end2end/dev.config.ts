import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The development loop (scripts/dev-check.sh): the browser against a
// `make dev` server the script has started, not the release server.
export default defineConfig({
  ...base,
  testDir: './dev',
  // A Rust change rebuilds the server and the WASM in debug mode.
  timeout: 20 * 60_000,
  workers: 1,
  webServer: undefined,
  use: { ...base.use, baseURL: process.env.CHIRP_E2E_URL },
});
