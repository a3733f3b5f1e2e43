import type { Browser, BrowserContext, Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { navItems } from './pages/shell';

// Issue 20, item 7: the first seconds of a visit. index.html paints the NHS header and an empty
// page frame before the wasm has arrived, the same markup the client then renders, so nothing
// moves when it replaces it; a tab with no session asks for the persona picker's data while the
// wasm downloads, and the client uses that answer instead of asking again.
const sarah = 'u-sarah-ahmed';
const SESSION_KEY = 'engage.collaboration.session'; // as app/src/state.rs keeps it
// Lighthouse's mobile screen, where the layout shifts were measured (docs/PERFORMANCE.md).
const phone = { width: 412, height: 823 };

/** A new context with an empty cache, signed in as `userId` (the session put where the client
 * keeps it before any script runs) or signed out. */
async function visitor(browser: Browser, baseURL: string, session?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: phone });
  if (session) {
    await context.addInitScript(([key, value]) => sessionStorage.setItem(key, value), [SESSION_KEY, session]);
  }
  // Every layout shift of the document, from its start.
  await context.addInitScript(() => {
    const shifts: { value: number; sources: string[] }[] = [];
    (window as unknown as { shifts: typeof shifts }).shifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources: { node?: Node }[] }[]) {
        if (entry.hadRecentInput) continue;
        shifts.push({
          value: entry.value,
          sources: entry.sources.map((s) => (s.node instanceof Element ? s.node.outerHTML.slice(0, 80) : String(s.node?.nodeName))),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return context;
}

async function layoutShift(page: Page): Promise<{ total: number; shifts: unknown[] }> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100))));
  return page.evaluate(() => {
    const shifts = (window as unknown as { shifts: { value: number }[] }).shifts;
    return { total: shifts.reduce((sum, s) => sum + s.value, 0), shifts };
  });
}

/** Holds every wasm request until `release()`: the page as it is before the client runs. */
async function holdWasm(page: Page): Promise<() => void> {
  let release = () => {};
  const gate = new Promise<void>((done) => (release = done));
  await page.route('**/*.wasm', async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

/** Where the frame's header, service name and page sit. */
async function frameBoxes(page: Page) {
  return page.evaluate(() =>
    ['.nhsuk-header', '.nhsuk-header__service-name', '.nhsuk-header__logo', '#maincontent'].map((selector) => {
      const r = document.querySelector(selector)!.getBoundingClientRect();
      return { selector, x: r.x, y: r.y, width: r.width };
    }),
  );
}

test('the NHS header and the page frame are painted before the wasm arrives, and stay put when the client replaces them', async ({ browser, server }) => {
  const context = await visitor(browser, server.url);
  try {
    const page = await context.newPage();
    const release = await holdWasm(page);
    await page.goto('/', { waitUntil: 'domcontentloaded' });
    // No wasm yet: the header is on screen, painted.
    await expect(page.getByRole('banner')).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('Engage Collaboration');
    await expect(page.getByRole('contentinfo')).toContainText('Accessibility statement');
    await expect(page.getByTestId('site-header')).toHaveCount(0);
    const painted = await page.evaluate(async () => {
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
      return performance.getEntriesByName('first-contentful-paint').length;
    });
    expect(painted, 'first contentful paint before the wasm').toBe(1);
    const before = await frameBoxes(page);

    release();
    await expect(page.getByTestId('site-header')).toBeVisible();
    await expect(page.getByTestId(`persona-${sarah}`)).toBeVisible();
    // One header, one main, one footer: the frame gave way to the client's own.
    await expect(page.getByRole('banner')).toHaveCount(1);
    await expect(page.locator('main')).toHaveCount(1);
    await expect(page.getByRole('contentinfo')).toHaveCount(1);
    expect(await frameBoxes(page)).toEqual(before);
    await expectNoAxeViolations(page);
  } finally {
    await context.close();
  }
});

test('no screen shifts while it loads on a phone: cumulative layout shift at most 0.02 (issue 20)', async ({ browser, server, request }) => {
  test.setTimeout(90_000);
  const results: string[] = [];
  // Signed out: the persona picker.
  {
    const context = await visitor(browser, server.url);
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByTestId(`persona-${sarah}`)).toBeVisible();
    await page.waitForLoadState('networkidle');
    const { total, shifts } = await layoutShift(page);
    results.push(`persona picker ${total.toFixed(3)} ${JSON.stringify(shifts)}`);
    expect(total, `persona picker: ${JSON.stringify(shifts)}`).toBeLessThanOrEqual(0.02);
    await context.close();
  }
  const session = JSON.stringify(await (await request.post(`${server.url}/api/session`, { data: { user_id: sarah } })).json());
  for (const item of navItems) {
    const context = await visitor(browser, server.url, session);
    const page = await context.newPage();
    await page.goto(item.path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(item.label);
    await page.waitForLoadState('networkidle');
    const { total, shifts } = await layoutShift(page);
    results.push(`${item.label} ${total.toFixed(3)}`);
    expect(total, `${item.label}: ${JSON.stringify(shifts)}`).toBeLessThanOrEqual(0.02);
    await context.close();
  }
  console.log(`layout shift: ${results.join('; ')}`);
});

test('the persona picker\'s data is asked for before the wasm runs, once, and the client uses that answer', async ({ browser, server }) => {
  const context = await visitor(browser, server.url);
  try {
    const page = await context.newPage();
    const personaCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/personas') personaCalls.push(r.resourceType());
    });
    const release = await holdWasm(page);
    await page.goto('/', { waitUntil: 'domcontentloaded' });
    // The wasm is still held, and the call is already on its way.
    await expect.poll(() => personaCalls.length).toBe(1);
    release();
    await expect(page.getByTestId(`persona-${sarah}`)).toBeVisible();
    await page.waitForLoadState('networkidle');
    // Long enough for a second call, had the client not used the preloaded answer.
    await page.waitForTimeout(500);
    expect(personaCalls).toHaveLength(1);
    const timing = await page.evaluate(() =>
      performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === '/api/personas')
        .map((e) => (e as PerformanceResourceTiming).initiatorType),
    );
    expect(timing).toEqual(['link']);
  } finally {
    await context.close();
  }
});

test('a signed-in tab does not ask for the persona list it will not show', async ({ browser, server, request }) => {
  const session = JSON.stringify(await (await request.post(`${server.url}/api/session`, { data: { user_id: sarah } })).json());
  const context = await visitor(browser, server.url, session);
  try {
    const page = await context.newPage();
    const personaCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/personas') personaCalls.push(r.url());
    });
    await page.goto('/groups');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Groups');
    await page.waitForLoadState('networkidle');
    expect(personaCalls).toEqual([]);
  } finally {
    await context.close();
  }
});

/** What the first paint shows of a screen: its heading, lead paragraph, account line and
 * navigation, with their words and boxes. */
async function screenParts(page: Page) {
  return page.evaluate(() => {
    const selectors = ['main h1', 'main h1 + p.nhsuk-body', '.app-account__who',
      '.nhsuk-header__navigation-list'];
    return selectors.map((selector) => {
      const element = document.querySelector(selector);
      if (!element) return { selector, missing: true };
      const r = element.getBoundingClientRect();
      // The navigation by its links' words: the count beside External comes later, by design.
      const text = selector.includes('navigation')
        ? [...element.querySelectorAll('a')].map((a) => a.textContent?.trim()).join('|')
        : element.textContent?.trim();
      return { selector, text, x: r.x, y: r.y, width: r.width, height: r.height };
    });
  });
}

test('each screen\'s heading, lead paragraph, account line and navigation are painted before the wasm, in the words and places the client then shows (issue 20, item 7)', async ({ browser, server, request }) => {
  test.setTimeout(90_000);
  const session = JSON.stringify(await (await request.post(`${server.url}/api/session`, { data: { user_id: sarah } })).json());
  const screens = [{ path: '/', label: 'Choose a persona', session: undefined as string | undefined },
    ...navItems.map((item) => ({ path: item.path, label: item.label, session }))];
  for (const screen of screens) {
    const context = await visitor(browser, server.url, screen.session);
    try {
      const page = await context.newPage();
      const release = await holdWasm(page);
      await page.goto(screen.path, { waitUntil: 'domcontentloaded' });
      await expect(page.locator('main h1')).toHaveText(screen.label);
      // Painted, and the largest text so far, before any wasm has arrived.
      const early = await page.evaluate(async () => {
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
        return new Promise<number>((done) => new PerformanceObserver((list) => {
          done(list.getEntries().length);
        }).observe({ type: 'largest-contentful-paint', buffered: true }));
      });
      expect(early, `${screen.path}: a largest contentful paint before the wasm`).toBeGreaterThan(0);
      const before = await screenParts(page);
      // A placeholder: nothing in it can be used or heard before the client runs.
      await expect(page.getByRole('heading', { level: 1 })).toHaveCount(0);
      const releasedAt = await page.evaluate(() => performance.now());

      release();
      await expect(page.getByTestId('site-header')).toBeVisible();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen.label);
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))));
      expect(await screenParts(page), `${screen.path}: the same words in the same places`).toEqual(before);
      // The client's own copy painted nothing larger: the first paint stays the largest.
      const last = await page.evaluate(() => new Promise<number>((done) => new PerformanceObserver((list) => {
        const entries = list.getEntries();
        done(entries[entries.length - 1].startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true })));
      expect(last, `${screen.path}: the largest contentful paint came before the wasm`).toBeLessThan(releasedAt);
    } finally {
      await context.close();
    }
  }
});
