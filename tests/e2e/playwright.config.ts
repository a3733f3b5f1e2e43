import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The flags keep Chromium from reaching for
// Google's hosts, which this machine's closed network refuses.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  // Measurements run after every other spec, one at a time, so the rest of the suite does not
  // share the machine with them.
  projects: [
    { name: 'e2e', testIgnore: '**/perf.spec.ts' },
    // No trace recording while measuring: its DOM snapshots would be timed too.
    {
      name: 'perf',
      testMatch: '**/perf.spec.ts',
      dependencies: ['e2e'],
      fullyParallel: false,
      use: { trace: 'off' },
    },
  ],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
    trace: 'retain-on-failure',
  },
});
