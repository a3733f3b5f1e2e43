import type { Locator, Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell } from './pages/shell';
import { MessagesPage } from './pages/messages';

// What a tester found on the Messages screen (issue 15, items 9, 8 and 7).
const sarah = 'u-sarah-ahmed'; // Camelia Surgery A81001, admin
const james = 'u-james-wilson'; // Camelia Surgery A81001, staff

/** Whether the element or one of its ancestors is a scroll box that hides part of it. */
async function insideScrollBox(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    for (let node: HTMLElement | null = el as HTMLElement; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowY;
      if ((overflow === 'auto' || overflow === 'scroll') && node.scrollHeight > node.clientHeight + 1) {
        return node.tagName !== 'DIALOG';
      }
    }
    return false;
  });
}

/** Each folder's open-request count sits on the first line of its name, never under it. */
async function expectCountsBesideNames(page: Page): Promise<void> {
  const links = page.locator('.app-folders__link');
  const n = await links.count();
  expect(n).toBeGreaterThan(3);
  for (let i = 0; i < n; i++) {
    const name = (await links.nth(i).locator('.app-folders__name').boundingBox())!;
    const count = (await links.nth(i).locator('.app-folders__count').boundingBox())!;
    expect(Math.abs(count.y - name.y), `count of folder ${i} on the name's first line`).toBeLessThan(12);
    expect(count.x, `count of folder ${i} beside its name`).toBeGreaterThanOrEqual(name.x + name.width - 1);
  }
}

test('item 9: an inactive colleague\'s folder says the colleague is inactive, active ones do not (C1)', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(sarah, '/messages');
  const peter = messages.folder('u-peter-marsh');
  await expect(peter).toContainText('Peter Marsh');
  await expect(peter.getByText('Inactive', { exact: true })).toBeVisible();
  await expect(messages.folder('u-priya-patel')).not.toContainText('Inactive');
  await expect(messages.folder('g-cam-gps')).not.toContainText('Inactive');
  // The cover toggle's name says it too, for someone tabbing through the toggles.
  await expect(page.getByRole('button', { name: 'Cover Peter Marsh (inactive)' })).toBeVisible();
  await expectNoAxeViolations(page);
});
