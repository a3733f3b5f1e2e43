import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell } from './pages/shell';

test('the persona picker groups personas by organisation and shows each role', async ({ page }) => {
  const shell = new Shell(page);
  await shell.goto('/messages');
  await expect(shell.heading).toHaveText('Choose a persona');
  const camelia = page.getByRole('region', { name: /Camelia Surgery/ });
  await expect(camelia.getByTestId('persona-u-sarah-ahmed')).toContainText('Administrator');
  await expect(camelia.getByTestId('persona-u-james-wilson')).toContainText('Staff');
  // A PCN persona is not listed under the practice.
  await expect(camelia.getByTestId('persona-u-mark-robinson')).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('signing in shows who you are, and switching persona needs no reload', async ({ page }) => {
  const shell = new Shell(page);
  await shell.gotoAs('u-sarah-ahmed', '/groups');
  await expect(page.getByTestId('account-name')).toHaveText('Dr Sarah Ahmed');
  await expect(page.getByTestId('account')).toContainText('Administrator');
  await expect(page.getByTestId('account-organisation')).toContainText('A81001');
  await expect(shell.heading).toHaveText('Groups');

  // A marker on window survives only if the page is not reloaded.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await shell.switchPersona('u-mark-robinson');
  await expect(page.getByTestId('account-name')).toHaveText('Mark Robinson');
  await expect(page.getByTestId('account-organisation')).toContainText('U12345');
  await expect(shell.heading).toHaveText('Groups');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
});

test('the session survives a reload of the tab', async ({ page }) => {
  const shell = new Shell(page);
  await shell.gotoAs('u-james-wilson', '/external');
  await page.reload();
  await expect(page.getByTestId('account-name')).toHaveText('James Wilson');
  await expect(shell.heading).toHaveText('External');
});

test('a rejected token (401) returns to the picker with a message', async ({ page }) => {
  const shell = new Shell(page);
  await shell.gotoAs('u-sarah-ahmed', '/groups');
  // What a server restart does: the token the tab holds is no longer known.
  await page.evaluate(() => {
    const key = 'engage.collaboration.session';
    const session = JSON.parse(sessionStorage.getItem(key) ?? '{}');
    session.token = 'no-longer-valid';
    sessionStorage.setItem(key, JSON.stringify(session));
  });
  await page.reload();
  await expect(shell.heading).toHaveText('Choose a persona');
  await expect(page.getByTestId('sign-in-notice')).toContainText('Your session has ended');
  await expect(page.getByTestId('account')).toHaveCount(0);
  await shell.signInAs('u-sarah-ahmed');
  await expect(shell.heading).toHaveText('Groups');
});

// Issue 15, item 5: before anyone has signed in there is nothing to navigate to (every address
// shows the persona picker), so there is no main navigation and no page is marked current.
test('the persona picker shows no navigation until there is a session', async ({ page }) => {
  const shell = new Shell(page);
  for (const path of ['/', '/messages', '/audit']) {
    await shell.goto(path);
    await expect(shell.heading).toHaveText('Choose a persona');
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    await expect(page.locator('[aria-current="page"]')).toHaveCount(0);
  }
  await expectNoAxeViolations(page);
  await shell.signInAs('u-sarah-ahmed');
  await expect(shell.navLink('Audit')).toHaveAttribute('aria-current', 'page');
  await shell.switchPersona('u-james-wilson');
  await expect(shell.navLink('Audit')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId('switch-persona').click();
  await expect(shell.heading).toHaveText('Choose a persona');
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
});
