import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell, navItems } from './pages/shell';

const admin = 'u-sarah-ahmed';

test('the release build renders the shell with the product name and navigation', async ({ page }) => {
  const shell = new Shell(page);
  await shell.gotoAs(admin, '/');
  await expect(shell.header).toContainText('Engage Collaboration');
  for (const item of navItems) {
    await expect(shell.navLink(item.label)).toBeVisible();
  }
  await expect(shell.heading).toHaveText('Messages');
  await expect(shell.unreachable).toHaveCount(0);
});

test('each navigation link routes to its page and marks it current', async ({ page }) => {
  const shell = new Shell(page);
  await shell.gotoAs(admin, '/messages');
  for (const item of navItems) {
    await shell.navLink(item.label).click();
    await expect(page).toHaveURL(new RegExp(`${item.path}$`));
    await expect(shell.heading).toHaveText(item.label);
    await expect(shell.navLink(item.label)).toHaveAttribute('aria-current', 'page');
    await expect(page).toHaveTitle(`${item.label} – Engage Collaboration`);
  }
});

test('links change the page in place, without reloading it; Back and Forward work, and a modified click is left to the browser', async ({ page }) => {
  const shell = new Shell(page);
  await shell.gotoAs(admin, '/messages');
  // Anything kept in the window survives only if no link reloads the document.
  await page.evaluate(() => Object.assign(window, { stillTheSameDocument: true }));
  const sameDocument = () => page.evaluate(() => (window as unknown as { stillTheSameDocument?: boolean }).stillTheSameDocument === true);

  await shell.navLink('Groups').click();
  await expect(shell.heading).toHaveText('Groups');
  await page.getByRole('link', { name: 'NHS Engage Collaboration homepage' }).click();
  await expect(shell.heading).toHaveText('Messages');
  expect(await sameDocument()).toBe(true);

  await page.goBack();
  await expect(page).toHaveURL(/\/groups$/);
  await expect(shell.heading).toHaveText('Groups');
  await page.goForward();
  await expect(page).toHaveURL(/\/messages$/);
  await expect(shell.heading).toHaveText('Messages');
  expect(await sameDocument()).toBe(true);

  // Ctrl+click opens the page in a new tab, as in any web page; this tab stays where it was.
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    shell.navLink('Audit').click({ modifiers: ['Control'] }),
  ]);
  await expect(page).toHaveURL(/\/messages$/);
  await expect(shell.heading).toHaveText('Messages');
  await tab.close();
});

test('a deep link loads the app, not a server 404', async ({ page }) => {
  const shell = new Shell(page);
  const response = await page.goto('/groups');
  expect(response?.status()).toBe(200);
  await shell.signInAs(admin);
  await expect(page).toHaveURL(/\/groups$/);
  await expect(shell.heading).toHaveText('Groups');
  await expect(shell.navLink('Groups')).toHaveAttribute('aria-current', 'page');
});

test('an unknown address shows the not-found page inside the shell', async ({ page }) => {
  const shell = new Shell(page);
  await shell.gotoAs(admin, '/no-such-page');
  await expect(shell.heading).toHaveText('Page not found');
  await expect(shell.header).toBeVisible();
  await page.getByRole('link', { name: 'Go to Messages' }).click();
  await expect(shell.heading).toHaveText('Messages');
});

test('when the API cannot be reached the page says so and recovers on Try again', async ({ page }) => {
  const shell = new Shell(page);
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await shell.goto('/groups');
  await expect(shell.unreachable).toBeVisible();
  await expect(shell.unreachable).toContainText('cannot be reached');
  await expect(shell.heading).toHaveText('Choose a persona');

  await page.unroute('**/api/**');
  await shell.unreachable.getByRole('button', { name: 'Try again' }).click();
  await expect(shell.unreachable).toHaveCount(0);
});

test('the shell can be used with the keyboard alone', async ({ page }) => {
  const shell = new Shell(page);
  await shell.gotoAs(admin, '/messages');
  await page.reload();
  await expect(shell.heading).toHaveText('Messages');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  // Tab to the Groups link and follow it with Enter.
  const groups = shell.navLink('Groups');
  for (let i = 0; i < 10 && !(await groups.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(groups).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(shell.heading).toHaveText('Groups');
});

for (const path of ['/messages', '/groups', '/colleagues', '/external', '/agreements', '/audit', '/no-such-page']) {
  test(`axe finds no WCAG 2.2 A/AA violations on ${path}`, async ({ page }) => {
    const shell = new Shell(page);
    await shell.gotoAs(admin, path);
    await expect(shell.heading).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test('axe finds no violations with the service-unreachable message shown', async ({ page }) => {
  const shell = new Shell(page);
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await shell.goto('/messages');
  await expect(shell.unreachable).toBeVisible();
  await expectNoAxeViolations(page);
});
