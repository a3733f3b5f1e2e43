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

test('C4 at scale (issue 13): the server pages a folder of 5,001; Next and Previous follow its cursors, the address keeps the page for Back and links, the total shows', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  const range = page.getByTestId('request-list-range');
  const pager = page.getByRole('navigation', { name: 'Pages of requests' });
  // Every page of the list comes from the server, 50 at a time: never the whole folder.
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/requests?')) asked.push(r.url());
  });
  await shell.gotoAs('u-james-wilson', `${big.url}/messages?folder=mine`);
  await expect(messages.empty).toBeVisible();

  await messages.openFolder('g-cam-reception');
  await expect(range).toHaveText('Requests 1 to 50 of 5,001');
  await expect(page.getByTestId('page-where')).toHaveText('Page 1 of 101');
  await expect(page.getByTestId('page-previous')).toHaveCount(0);
  await expect(page.getByTestId('page-next')).toContainText('Requests 51 to 100 of 5,001');
  await expect(messages.rows()).toHaveCount(50);
  const firstPageTop = await messages.rows().first().getAttribute('data-testid');

  await page.getByTestId('page-next').click();
  await expect(page).toHaveURL(/cursor=[^&]+/);
  await expect(page).toHaveURL(/page=2/);
  await expect(range).toHaveText('Requests 51 to 100 of 5,001');
  await expect(messages.list).toHaveAttribute('aria-busy', 'false');
  await expect(messages.rows()).toHaveCount(50);
  const secondPageTop = await messages.rows().first().getAttribute('data-testid');
  expect(secondPageTop).not.toBe(firstPageTop);
  await expect(page.getByTestId('page-previous')).toContainText('Requests 1 to 50');
  await expectNoAxeViolations(page);

  // Third page by keyboard: Tab reaches Next, Enter follows it.
  const next = page.getByTestId('page-next');
  await next.focus();
  await expect(next).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(range).toHaveText('Requests 101 to 150 of 5,001');
  await expect(page).toHaveURL(/page=3/);
  const thirdUrl = page.url();
  const thirdTop = await messages.rows().first().getAttribute('data-testid');

  // Previous walks back to the second page (its own rows again).
  await page.getByTestId('page-previous').click();
  await expect(range).toHaveText('Requests 51 to 100 of 5,001');
  await expect(messages.rows().first()).toHaveAttribute('data-testid', secondPageTop ?? '');

  // Back restores the third page, and Back again the second, then the first.
  await page.goBack();
  await expect(range).toHaveText('Requests 101 to 150 of 5,001');
  await expect(messages.rows().first()).toHaveAttribute('data-testid', thirdTop ?? '');
  await page.goBack();
  await expect(range).toHaveText('Requests 51 to 100 of 5,001');
  await page.goBack();
  await expect(range).toHaveText('Requests 1 to 50 of 5,001');
  await expect(messages.rows().first()).toHaveAttribute('data-testid', firstPageTop ?? '');

  // A shared link to the third page shows the same rows in a fresh tab.
  const other = await page.context().newPage();
  // A new tab has no session yet: the persona picker keeps the address and lands on it.
  await new Shell(other).gotoAs('u-james-wilson', thirdUrl);
  const otherMessages = new MessagesPage(other);
  await expect(other.getByTestId('request-list-range')).toHaveText('Requests 101 to 150 of 5,001');
  await expect(otherMessages.rows().first()).toHaveAttribute('data-testid', thirdTop ?? '');
  await other.close();

  // Changing the status filter, or the folder, starts again from the first page.
  await page.goto(thirdUrl);
  await expect(range).toHaveText('Requests 101 to 150 of 5,001');
  await messages.showStatus('all');
  await expect(page).not.toHaveURL(/cursor=/);
  await expect(range).toHaveText(/^Requests 1 to 50 of 5,\d{3}$/);
  await page.getByTestId('page-next').click();
  await expect(range).toHaveText(/^Requests 51 to 100 of 5,\d{3}$/);
  await messages.openFolder('all');
  await expect(page).not.toHaveURL(/cursor=/);
  await expect(range).toContainText('Requests 1 to 50 of ');

  expect(asked.length).toBeGreaterThan(5);
  for (const url of asked) {
    expect(new URL(url).searchParams.get('limit') ?? '50').toBe('50');
  }
  await expect(pager).toBeVisible();
});

test('C4 at scale: the pagination reads and works at 375 px and 1280 px, axe finds nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  const url = `${big.url}/messages?folder=g-cam-reception&status=open`;
  await shell.gotoAs('u-james-wilson', url);
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(url);
    await expect(page.getByTestId('request-list-range')).toHaveText('Requests 1 to 50 of 5,001');
    await page.getByTestId('page-next').click();
    await expect(page.getByTestId('request-list-range')).toHaveText('Requests 51 to 100 of 5,001');
    await expect(messages.list).toHaveAttribute('aria-busy', 'false');
    await expect(page.getByTestId('page-previous')).toBeVisible();
    await expect(page.getByTestId('page-next')).toBeVisible();
    await page.getByTestId('page-next').scrollIntoViewIfNeeded();
    await expectNoAxeViolations(page);
  }
});
