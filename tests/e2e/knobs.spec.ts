import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { startServer } from './support/server';
import { Shell } from './pages/shell';

test('a server started with simulated latency and failures says so in a Test mode banner', async ({ page }) => {
  // API.md: --latency-ms and --fail-rate are for UX research, and the client shows when they are on.
  const server = await startServer(['--latency-ms', '300', '--fail-rate', '0.1']);
  try {
    const shell = new Shell(page);
    await page.goto(`${server.url}/messages`);
    const banner = page.getByTestId('knobs-banner');
    await expect(banner).toContainText('Test mode');
    await expect(banner).toContainText('simulated latency 300 ms');
    await expect(banner).toContainText('10% of calls fail on purpose');
    await expect(shell.heading).toHaveText('Choose a persona');
    await expectNoAxeViolations(page);
  } finally {
    await server.stop();
  }
});

test('without latency or failures there is no Test mode banner', async ({ page }) => {
  const shell = new Shell(page);
  await shell.goto('/messages');
  await expect(shell.heading).toHaveText('Choose a persona');
  await expect(page.getByTestId('knobs-banner')).toHaveCount(0);
});
