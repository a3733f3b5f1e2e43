import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell, navItems } from './pages/shell';
import { MessagesPage } from './pages/messages';

// Issue 20, item 8 (a tester's finding; WCAG 1.4.10 Reflow, 1.4.12 Text spacing): on a phone
// the labels read "Assig|ned to", "Reque|st", "Refer|ence", the audit's "Detail" one letter or
// two per line, and at 1280 px the button "Refu|se". No label, heading cell, button or
// navigation link may break a word in the middle, at 320, 375 or 1280 px. Each word gets a DOM
// Range; its client rects must lie on one line (a word may break only where it has a hyphen,
// a dash or a slash, where the browser may break it too).
const sarah = 'u-sarah-ahmed'; // Camelia Surgery admin: Accept and Refuse on Agreements

/** Labels, heading cells, buttons and navigation links whose words break mid-word, as text. */
async function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      'label', 'legend', 'dt', 'th', 'summary', '.nhsuk-table-responsive__heading', '.nhsuk-table__heading',
      'button', '.nhsuk-button', 'nav a', '.nhsuk-pagination__link',
    ].join(', ');
    const broken: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (!element.checkVisibility()) continue;
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Text for screen readers only sits in a 1 px box: it is not read on screen.
        if (node.parentElement?.closest('.nhsuk-u-visually-hidden')) continue;
        for (const word of (node.textContent ?? '').matchAll(/[^\s\-–—/]+/g)) {
          const range = document.createRange();
          range.setStart(node, word.index!);
          range.setEnd(node, word.index! + word[0].length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
          const lines = new Set(rects.map((r) => Math.round(r.top)));
          if (lines.size > 1) {
            const name = element.tagName.toLowerCase() + (element.className ? `.${element.className.split(' ').join('.')}` : '');
            broken.push(`${name}: "${word[0]}" on ${lines.size} lines`);
          }
        }
      }
    }
    return [...new Set(broken)];
  });
}

async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
}

for (const width of [320, 375, 1280]) {
  test(`no label, heading cell, button or navigation link breaks a word at ${width} px (issue 20)`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width, height: 800 });
    const shell = new Shell(page);
    const found: string[] = [];
    const check = async (screen: string) => {
      await settled(page);
      found.push(...(await brokenWords(page)).map((b) => `${screen}: ${b}`));
    };

    await shell.goto('/');
    await expect(page.getByTestId(`persona-${sarah}`)).toBeVisible();
    await check('persona picker');
    await shell.signInAs(sarah);
    for (const item of navItems) {
      await shell.goto(item.path);
      await expect(shell.heading).toHaveText(item.label);
      if (item.path === '/agreements') await expect(page.getByTestId('agreement-refuse').first()).toBeVisible();
      if (item.path === '/audit') await expect(page.getByTestId('audit-row').first()).toBeVisible();
      await check(item.label);
    }
    // Messages with a folder of requests, then a request open (its summary list of labels).
    const messages = new MessagesPage(page);
    await shell.goto('/messages?folder=all');
    await expect(messages.rows().first()).toBeVisible();
    await check('Messages, all requests');
    const first = (await messages.rows().first().getAttribute('data-testid'))!.replace('request-row-', '');
    await messages.openRequest(first);
    await check('Messages, a request');
    const dialog = await messages.openAssign();
    await expect(dialog.root).toBeVisible();
    await check('Messages, assign dialog');

    expect(found).toEqual([]);
    await expectNoAxeViolations(page);
  });
}
