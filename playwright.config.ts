import { defineConfig } from '@playwright/test';

// End-to-end specs in Debian's Chromium against browser mode (no browser download, ever).
// Run with `npx playwright test` (vitest cannot run these); results land in test-results/playwright.json.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/buildRenderer.ts',
  timeout: 60_000,
  workers: 1,
  outputDir: 'test-results/playwright-artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    headless: true,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
