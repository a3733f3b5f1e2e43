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

test('item 8: on a phone the folders are behind a "Folders (n)" disclosure, all of them on the page when opened, each count beside its name (C3)', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(sarah, '/messages');
  const items = page.locator('.app-folders__item');
  const toggle = page.locator('.app-folders summary');
  await expect(toggle).toHaveText(/^Folders \(\d+\)$/);
  const n = Number((await toggle.textContent())!.match(/\d+/)![0]);
  expect(n).toBeGreaterThan(5);
  // Closed at first, so the list of requests is the first thing under the heading.
  await expect(messages.folder('g-cam-reception')).toBeHidden();
  await expectNoAxeViolations(page);
  await toggle.click();
  await expect(items).toHaveCount(n - 1);
  for (const id of ['g-cam-reception', 'g-pcn-carehome', 'u-peter-marsh']) {
    await expect(messages.folder(id)).toBeVisible();
    expect(await insideScrollBox(messages.folder(id)), `${id} hidden in a scroll box`).toBe(false);
  }
  await expectCountsBesideNames(page);
  await expectNoAxeViolations(page);
  await messages.openFolder('g-cam-reception');
  await expect(messages.listHeading).toHaveText('Reception');

  // On a computer the folders are shown at once, counts beside names too.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();
  await expect(messages.folder('g-pcn-carehome')).toBeVisible();
  await expectCountsBesideNames(page);
});

test('item 7: the assign dialog scrolls as one, its Assign button stays in reach, and a missing choice or too short reason shows an error summary and an inline error on submit (A2, A3)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  // r-1004 (John Carter, do_not_share) is with the PCN; Riverside needs a reason (A3).
  await shell.gotoAs(james, '/messages?request=r-1004');
  const dialog = await messages.openAssign();
  expect(await insideScrollBox(dialog.targets), 'targets in a scroll area of their own').toBe(false);
  await expect(dialog.submit).toBeInViewport({ ratio: 1 });

  // Nothing chosen: the button is not greyed out; pressing it explains what is missing.
  await expect(dialog.submit).toBeEnabled();
  await dialog.submit.click();
  const summary = dialog.root.locator('.nhsuk-error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText('There is a problem');
  await expect(summary.getByRole('link')).toHaveText(['Choose a group or colleague']);
  await expect(dialog.root.locator('#assign-targets-error')).toHaveText('Error: Choose a group or colleague');
  await expectNoAxeViolations(page);

  // The last target: the consent step appears, and the button is still on screen.
  await dialog.choose('g-riv-extended');
  await expect(dialog.reason).toBeVisible();
  await expect(dialog.submit).toBeInViewport({ ratio: 1 });
  await dialog.reason.fill('too short');
  await dialog.submit.click();
  await expect(summary.getByRole('link')).toHaveText(['Reason must be at least 10 characters']);
  await expect(summary).toBeFocused();
  await expect(dialog.root.locator('#assign-reason-error')).toHaveText('Error: Reason must be at least 10 characters');
  await expect(dialog.reason).toHaveAttribute('aria-describedby', /assign-reason-error/);
  await expect(dialog.root).toBeVisible();
  await expectNoAxeViolations(page);
  await summary.getByRole('link').click();
  await expect(dialog.reason).toBeFocused();

  await dialog.reason.fill('Patient phoned and agreed to the extended hours clinic seeing this.');
  await dialog.submit.click();
  await expect(dialog.root).toBeHidden();
  await expect(messages.notice).toHaveText('Assigned to Extended (Riverside Medical Practice).');

  // On a phone too: the button in reach, the errors shown, no axe violation.
  await page.setViewportSize({ width: 375, height: 812 });
  const again = await messages.openAssign();
  await expect(again.submit).toBeInViewport({ ratio: 1 });
  await again.expectRefused('Choose a group or colleague');
  await expectNoAxeViolations(page);
});
