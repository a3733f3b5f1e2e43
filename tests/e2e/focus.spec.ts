import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell } from './pages/shell';

// Issue 15, item 2 (WCAG 2.4.3 Focus Order): after signing in and after Switch persona the
// focus moves to the new page's main heading, not to the document body.
test('signing in and switching persona move the focus to the new page heading', async ({ page }) => {
  const shell = new Shell(page);
  await shell.goto('/groups');
  await shell.signInAs('u-sarah-ahmed');
  await expect(shell.heading).toHaveText('Groups');
  await expect(shell.heading).toBeFocused();
  await expectNoAxeViolations(page);

  // Keyboard use, as the people this protects would: the focus follows the page, and Tab
  // goes on from the top of the new page.
  await page.getByTestId('switch-persona').focus();
  await page.keyboard.press('Enter');
  await expect(shell.heading).toHaveText('Choose a persona');
  await expect(shell.heading).toBeFocused();
  await expectNoAxeViolations(page);

  await page.getByTestId('persona-u-james-wilson').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('account').waitFor();
  await expect(shell.heading).toHaveText('Groups');
  await expect(shell.heading).toBeFocused();
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);
});
