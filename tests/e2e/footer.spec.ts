import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell } from './pages/shell';

// Issue 15, item 11: the NHS footer (nhsuk-footer of nhsuk-frontend 10) with this service's own
// links, to real pages with real content, open before signing in as well as after.
const pages = [
  { link: 'Accessibility statement', path: '/accessibility', mentions: /WCAG\) version 2\.2 at level AA/ },
  { link: 'About this demo and its data', path: '/about', mentions: /invented for the demonstration/ },
];

for (const signedIn of [false, true]) {
  test(`the footer links to the accessibility statement and the about page (${signedIn ? 'signed in' : 'signed out'})`, async ({
    page,
  }) => {
    const shell = new Shell(page);
    if (signedIn) await shell.gotoAs('u-james-wilson', '/groups');
    else await shell.goto('/');
    // The page is complete (the persona list no longer moves the footer).
    await expect(page.getByTestId(signedIn ? 'account' : 'persona-u-sarah-ahmed')).toBeVisible();
    await page.waitForLoadState('networkidle');
    const footer = page.getByRole('contentinfo');
    await expect(footer).toHaveClass(/nhsuk-footer/);
    for (const item of pages) {
      await footer.getByRole('link', { name: item.link }).click();
      await expect(page).toHaveURL(new RegExp(`${item.path}$`));
      await expect(shell.heading).toHaveText(item.link);
      await expect(page.getByRole('main')).toContainText(item.mentions);
      await expectNoAxeViolations(page);
    }
    // The pages are deep-linkable, not only reachable in the app.
    const response = await page.goto('/accessibility');
    expect(response?.status()).toBe(200);
    await expect(shell.heading).toHaveText('Accessibility statement');
    await expect(page.getByTestId('account')).toHaveCount(signedIn ? 1 : 0);
  });
}
