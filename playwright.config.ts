import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath as findChromium } from './electron/services/features/reports/pdf-chromium';

/** Debian's Chromium on CI machines; Playwright's own browser where one is installed (a developer laptop). */
const chromiumPath = findChromium();

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  outputDir: 'test-results/artifacts',
  projects: [
    {
      name: 'browser',
      testMatch: /.*\.browser\.spec\.ts/,
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        // A fixed locale so dates (11/24/2026) and numbers (12.50 mL) are deterministic; a spec may
        // override it with test.use({ locale }) to check another locale's formats.
        locale: 'en-US',
        launchOptions: { executablePath: chromiumPath, args: CHROMIUM_ARGS },
      },
    },
    { name: 'electron', testMatch: /.*\.electron\.spec\.ts/ },
  ],
});
