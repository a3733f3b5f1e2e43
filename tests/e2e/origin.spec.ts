import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell, navItems } from './pages/shell';

// Issue 15, item 10: every request of a page load stays on the server's own origin. The fixture
// fails any test whose page asks another origin; this spec loads every screen to be sure each
// one is covered, and asserts the list of origins it saw.
test('no screen asks another origin for anything, not even a font', async ({ page, server }) => {
  const origins = new Set<string>();
  page.on('request', (request) => origins.add(new URL(request.url()).origin));
  const shell = new Shell(page);
  await shell.goto('/');
  await expect(page.getByTestId('persona-u-sarah-ahmed')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectNoAxeViolations(page);
  await shell.signInAs('u-sarah-ahmed');
  for (const item of navItems) {
    await shell.navLink(item.label).click();
    await expect(shell.heading).toHaveText(item.label);
    await page.waitForLoadState('networkidle');
  }
  // A reload of a deep link fetches the stylesheet and the fonts it names again.
  await page.reload();
  await page.waitForLoadState('networkidle');
  expect([...origins]).toEqual([new URL(server.url).origin]);
});
