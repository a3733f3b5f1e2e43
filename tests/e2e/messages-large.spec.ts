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

/**
 * Clicks a folder link and resolves with the milliseconds until the list shows that folder's
 * first row and the browser has painted it (the timeout after the next animation frame runs
 * once the frame is painted).
 */
async function timeFolderPaint(
  messages: MessagesPage,
  folderId: string,
): Promise<{ total: number; api: number }> {
  return messages.page.evaluate(
    (id) =>
      new Promise<{ total: number; api: number }>((done) => {
        const link = document.querySelector<HTMLElement>(`[data-testid="folder-${id}"]`);
        if (!link) throw new Error(`no folder ${id}`);
        const selector = `[data-testid="request-list"][data-folder="${id}"][aria-busy="false"] tbody tr`;
        const t0 = performance.now();
        link.click();
        const poll = () => {
          if (document.querySelector(selector)) {
            requestAnimationFrame(() =>
              setTimeout(() => {
                const total = performance.now() - t0;
                // When the list's answer had fully arrived, from the same click.
                const answer = performance
                  .getEntriesByType('resource')
                  .filter((e) => e.name.includes(`folder=${id}`) && e.startTime >= t0)
                  .pop() as PerformanceResourceTiming | undefined;
                done({ total, api: answer ? answer.responseEnd - t0 : NaN });
              }, 0),
            );
          } else {
            requestAnimationFrame(poll);
          }
        };
        requestAnimationFrame(poll);
      }),
    folderId,
  );
}

test('C4 at scale: a folder of 5,000 requests shows pages of 50 with Previous and Next, and the time to paint it is printed', async ({ page }) => {
  test.setTimeout(90_000);
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs('u-james-wilson', `${big.url}/messages?folder=mine`);
  await expect(messages.empty).toBeVisible();
  await expect(messages.folder('g-cam-reception')).toBeVisible();

  const times: number[] = [];
  const apiTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { total, api } = await timeFolderPaint(messages, 'g-cam-reception');
    times.push(total);
    apiTimes.push(api);
    await expect(messages.rows()).toHaveCount(50);
    await messages.openFolder('mine');
    await expect(messages.empty).toBeVisible();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fmt = (xs: number[]) => xs.map((t) => t.toFixed(0)).join(', ');
  console.log(
    `Messages (browser): select a folder of 5,001 requests → first row painted: ` +
      `${fmt(times)} ms (median ${median(times).toFixed(0)} ms); of which until the ` +
      `GET /api/requests answer had arrived: ${fmt(apiTimes)} ms (median ${median(apiTimes).toFixed(0)} ms)`,
  );

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
