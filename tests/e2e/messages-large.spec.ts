import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { startServer, type RunningServer } from './support/server';
import { writeLargeFolderSeed } from './seeds/large-folder';
import { Shell } from './pages/shell';
import { MessagesPage } from './pages/messages';

// One server for this file, seeded with 5,000 extra requests in Camelia Surgery's Reception.
let big: RunningServer;

test.beforeAll(async ({}, testInfo) => {
  const file = writeLargeFolderSeed(testInfo.outputPath('large-folder-seed.json'), 5000);
  big = await startServer(['--seed', file]);
});

test.afterAll(async () => {
  await big?.stop();
});

test('C4 at scale: a folder of 5,000 requests shows pages of 50 with Previous and Next (its paint time is measured in perf.spec.ts)', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs('u-james-wilson', `${big.url}/messages?folder=mine`);
  await expect(messages.empty).toBeVisible();

  await messages.openFolder('g-cam-reception');
  await expect(page.getByTestId('request-list-range')).toHaveText('Requests 1 to 50 of 5,001');
  await expect(page.getByTestId('page-where')).toHaveText('Page 1 of 101');
  await expect(page.getByTestId('page-previous')).toHaveCount(0);
  const firstPageTop = await messages.rows().first().getAttribute('data-testid');
  await page.getByTestId('page-next').click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId('request-list-range')).toHaveText('Requests 51 to 100 of 5,001');
  await expect(messages.rows()).toHaveCount(50);
  expect(await messages.rows().first().getAttribute('data-testid')).not.toBe(firstPageTop);
  await expectNoAxeViolations(page);
  await page.goBack();
  await expect(page.getByTestId('request-list-range')).toHaveText('Requests 1 to 50 of 5,001');
  await expect(messages.rows().first()).toHaveAttribute('data-testid', firstPageTop ?? '');
});
