import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell, navItems } from './pages/shell';
import type { Page } from '@playwright/test';

// Issue 15, item 3 (WCAG 1.4.10 Reflow): at 320 CSS px, and at the tester's 375 px phone, no
// screen scrolls sideways: everything, the Refuse button and the audit's Detail included, fits.
const sarah = 'u-sarah-ahmed'; // Camelia Surgery A81001, admin: Accept and Refuse on Agreements

async function sideways(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.documentElement;
    return Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;
  });
}

for (const width of [320, 375]) {
  test(`no screen scrolls sideways at ${width} px (1.4.10)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    const shell = new Shell(page);
    await shell.goto('/');
    await expect(page.getByTestId('persona-u-sarah-ahmed')).toBeVisible();
    expect(await sideways(page), 'persona picker').toBeLessThanOrEqual(0);
    await shell.signInAs(sarah);
    for (const item of navItems) {
      await shell.goto(item.path);
      await expect(shell.heading).toHaveText(item.label);
      await page.waitForLoadState('networkidle');
      expect(await sideways(page), item.label).toBeLessThanOrEqual(0);
    }
    await shell.goto('/no-such-page');
    await expect(shell.heading).toHaveText('Page not found');
    expect(await sideways(page), 'not found').toBeLessThanOrEqual(0);
  });
}

test('on a phone the Agreements actions and the Audit detail are on screen, and axe passes', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  const shell = new Shell(page);
  await shell.gotoAs(sarah, '/agreements');
  const refuse = page.getByTestId('agreement-refuse').first();
  await expect(refuse).toBeVisible();
  const box = await refuse.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  await expectNoAxeViolations(page);

  await shell.goto('/audit');
  await expect(shell.heading).toHaveText('Audit');
  const detail = page.getByTestId('audit-row').first().locator('td').last();
  await expect(detail).toBeVisible();
  // The detail reads as a line of text, not one word per line.
  const detailBox = await detail.boundingBox();
  expect(detailBox!.width).toBeGreaterThan(200);
  await expectNoAxeViolations(page);
});
