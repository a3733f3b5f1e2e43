import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell } from './pages/shell';
import { MessagesPage } from './pages/messages';
import { AgreementsPage, TargetsPage } from './pages/sharing';

// Issue 20, item 8: what a tester saw of the error pattern (NHS design system, "Error summary"
// and "Error message").
const james = 'u-james-wilson'; // Camelia Surgery A81001, staff
const sarah = 'u-sarah-ahmed'; // Camelia Surgery A81001, admin

test('the page title starts with "Error: " while an error summary shows, and not after it goes (NHS guidance)', async ({ page }) => {
  const shell = new Shell(page);
  const groups = new TargetsPage(page);
  await shell.gotoAs(sarah, '/groups');
  await expect(page).toHaveTitle('Groups – Engage Collaboration');
  const dialog = await groups.openShare('g-cam-gps');
  await dialog.submit.click();
  await expect(dialog.root.getByTestId('share-problems')).toBeVisible();
  await expect(page).toHaveTitle('Error: Groups – Engage Collaboration');
  // Put right: the summary goes, and so does the prefix.
  await dialog.combobox.choose('Riverside Medical', 'A81002');
  await expect(dialog.root.getByTestId('share-problems')).toHaveCount(0);
  await expect(page).toHaveTitle('Groups – Engage Collaboration');
  await dialog.cancel.click();
  await expect(dialog.root).toBeHidden();
  // Shown again, then the dialog is closed with the summary still up.
  await groups.openShare('g-cam-gps');
  await dialog.submit.click();
  await expect(page).toHaveTitle('Error: Groups – Engage Collaboration');
  await expectNoAxeViolations(page);
  await dialog.cancel.click();
  await expect(dialog.root).toBeHidden();
  await expect(page).toHaveTitle('Groups – Engage Collaboration');

  // A form on a page: the same, and the prefix is not doubled by a second refused submit.
  const agreements = new AgreementsPage(page);
  await shell.goto('/agreements');
  await expect(shell.heading).toHaveText('Agreements');
  await agreements.propose.click();
  await expect(page.getByTestId('propose-problems')).toBeVisible();
  await expect(page).toHaveTitle('Error: Agreements – Engage Collaboration');
  await agreements.propose.click();
  await expect(page.getByTestId('propose-problems')).toBeFocused();
  await expect(page).toHaveTitle('Error: Agreements – Engage Collaboration');
  // Leaving the page with the summary up: the next page's title has no prefix.
  await shell.navLink('Audit').click();
  await expect(shell.heading).toHaveText('Audit');
  await expect(page).toHaveTitle('Audit – Engage Collaboration');
});

test('A3: a blank reason says "Enter a reason", a short one says how long it must be, a long one its limit (NHS error messages)', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  // r-1004 (John Carter, do_not_share): Riverside has no agreement with Camelia Surgery.
  await shell.gotoAs(james, '/messages?request=r-1004');
  const dialog = await messages.openAssign();
  await dialog.choose('g-riv-extended');
  const inline = dialog.root.locator('#assign-reason-error');

  await dialog.expectRefused('Enter a reason');
  await expect(inline).toHaveText('Error: Enter a reason');
  await expect(page).toHaveTitle(/^Error: /);
  // Spaces only are blank too (the reason is trimmed, as the server trims it).
  await dialog.reason.fill('     ');
  await dialog.expectRefused('Enter a reason');

  await dialog.reason.fill('too short');
  await dialog.expectRefused('Reason must be at least 10 characters');
  await expect(inline).toHaveText('Error: Reason must be at least 10 characters');

  await dialog.reason.fill('x'.repeat(1001));
  await dialog.expectRefused('Reason must be 1000 characters or fewer');
  await expect(inline).toHaveText('Error: Reason must be 1000 characters or fewer');
  await expectNoAxeViolations(page);
});

test('at 1280x800 with the error summary showing, Share and Cancel are inside the dialog\'s visible area', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const shell = new Shell(page);
  const groups = new TargetsPage(page);
  await shell.gotoAs(sarah, '/groups');
  const dialog = await groups.openShare('g-cam-gps');
  await dialog.submit.click();
  await expect(dialog.root.getByTestId('share-problems')).toBeFocused();
  // The summary link took the focus; nothing has been scrolled by hand.
  const box = (await dialog.root.boundingBox())!;
  for (const button of [dialog.submit, dialog.cancel]) {
    const b = (await button.boundingBox())!;
    expect(b.y, 'top of the button in the dialog').toBeGreaterThanOrEqual(box.y);
    expect(b.y + b.height, 'bottom of the button in the dialog').toBeLessThanOrEqual(box.y + box.height);
    await expect(button).toBeInViewport({ ratio: 1 });
  }
  // Still in view with the list of matches open under the search box.
  await dialog.combobox.type('Riverside Medical');
  await expect(dialog.combobox.option('A81002')).toBeVisible();
  for (const button of [dialog.submit, dialog.cancel]) await expect(button).toBeInViewport({ ratio: 1 });
  // And with an organisation chosen and its preview shown.
  await dialog.combobox.option('A81002').click();
  await expect(dialog.combobox.chosen).toContainText('A81002');
  await expect(dialog.preview).toBeVisible();
  const after = (await dialog.root.boundingBox())!;
  for (const button of [dialog.submit, dialog.cancel]) {
    const b = (await button.boundingBox())!;
    expect(b.y + b.height).toBeLessThanOrEqual(after.y + after.height);
  }
  await expectNoAxeViolations(page);
});
