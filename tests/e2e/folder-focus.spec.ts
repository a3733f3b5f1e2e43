import { test, expect, expectNoAxeViolations } from './support/fixtures';
import type { Page } from '@playwright/test';
import { Shell } from './pages/shell';
import { MessagesPage } from './pages/messages';

// Issue 20, item 8 (WCAG 2.4.3 Focus Order): choosing a folder keeps keyboard focus in the page
// and the results in view, the same on the first choice after signing in as on every later
// one. Before, the first choice from `/` changed the route, so the Messages page was rebuilt:
// focus fell to the body (the next Tab went to the footer) and, on a phone, the Folders
// disclosure closed after the first choice but stayed open after later ones.

const james = 'u-james-wilson';
const sent = 'sent_externally';

async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

async function focusIsOnBody(page: Page): Promise<boolean> {
  return page.evaluate(() => document.activeElement === document.body || document.activeElement === null);
}

/** Presses Tab until the element with this test id has focus (at most 80 times). */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    if ((await focusedTestId(page)) === testId) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

test('after signing in, Tab to Sent Externally and Enter: focus stays on the folder and Tab goes on in the page (issue 20, WCAG 2.4.3, C3)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/');
  await expect(shell.heading).toHaveText('Messages');

  await tabTo(page, `folder-${sent}`);
  await page.keyboard.press('Enter');
  await expect(messages.folder(sent)).toHaveAttribute('aria-current', 'page');
  await expect(messages.listHeading).toHaveText('Sent Externally');
  expect(await focusIsOnBody(page)).toBe(false);
  expect(await focusedTestId(page)).toBe(`folder-${sent}`);
  await expect(messages.listHeading).toBeInViewport();
  // The next Tab goes to the folder's Cover toggle or the next folder, never to the footer.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="folder-list"]'))).toBe(true);

  // A later choice behaves the same.
  await page.getByTestId('folder-home').focus();
  await page.keyboard.press('Enter');
  await expect(messages.listHeading).toHaveText('My messages');
  expect(await focusedTestId(page)).toBe('folder-home');
  await expectNoAxeViolations(page);
});

test('on a phone, choosing a folder closes the Folders disclosure and keeps focus on it, above the results, every time (issue 20, WCAG 2.4.3, C3)', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 667 });
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  const toggle = page.getByTestId('folders-toggle');
  const isOpen = () => page.locator('details.app-folders__details').evaluate((d) => (d as HTMLDetailsElement).open);
  await shell.gotoAs(james, '/');
  await expect(shell.heading).toHaveText('Messages');
  expect(await isOpen()).toBe(false);

  for (const [folder, heading] of [
    [sent, 'Sent Externally'],
    ['home', 'My messages'],
    [sent, 'Sent Externally'],
  ]) {
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(isOpen).toBe(true);
    await tabTo(page, `folder-${folder}`);
    await page.keyboard.press('Enter');
    await expect(messages.listHeading).toHaveText(heading);
    await expect.poll(isOpen).toBe(false);
    await expect(toggle).toBeFocused();
    await expect(messages.listHeading).toBeInViewport();
  }
  await expectNoAxeViolations(page);
});
