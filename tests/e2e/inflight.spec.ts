import type { APIRequestContext, Page, Request } from '@playwright/test';
import { test, expect, apiToken } from './support/fixtures';
import { Shell } from './pages/shell';
import { MessagesPage } from './pages/messages';
import { AgreementsPage, ExternalPage, TargetsPage } from './pages/sharing';

// Leaving a screen, closing a dialog or switching persona while a call is still on its way must
// not break the client (no panic on disposed state), and a change whose dialog closed before
// its answer must still show on the page: the screen agrees with the server afterwards.

// Personas and data of the seed (api-mock/seed/demo.json).
const sarah = 'u-sarah-ahmed'; // Camelia Surgery A81001, admin
const james = 'u-james-wilson'; // Camelia Surgery A81001, staff
const helen = 'u-helen-clarke'; // Riverside Medical Practice A81002, admin
const gpTriage = 'g-cam-gps'; // a Camelia group shared with nobody in the seed

const slowMs = 700;

/**
 * Holds back the API calls whose method and path match, by `slowMs` (in the browser's route: the
 * server honours `X-Mock-Delay-Ms` only while its latency or failure knobs are on, API.md), and
 * counts how many of them are still on their way.
 */
async function slowDown(page: Page, method: string, path: RegExp): Promise<{ inFlight: () => number; seen: () => number }> {
  // Only calls that started from now on are counted (one already on its way may finish later).
  const pending = new Set<Request>();
  let seen = 0;
  const matches = (r: Request) => r.method() === method && path.test(new URL(r.url()).pathname + new URL(r.url()).search);
  page.on('request', (r) => {
    if (matches(r)) {
      pending.add(r);
      seen += 1;
    }
  });
  const done = (r: Request) => pending.delete(r);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  await page.route(
    (url) => url.pathname.startsWith('/api/'),
    async (route) => {
      const r = route.request();
      if (!matches(r)) return route.fallback();
      await new Promise((wait) => setTimeout(wait, slowMs));
      // The page may have gone meanwhile (a persona switch reloads it): nothing to continue.
      return route.continue().catch(() => undefined);
    },
  );
  return { inFlight: () => pending.size, seen: () => seen };
}

/** Waits until every held-back call has had its answer (and the client has had time to use it). */
async function answered(page: Page, slow: { inFlight: () => number; seen: () => number }): Promise<void> {
  // The call was seen to start, then ended: on a loaded machine the page's 'request' event can
  // reach the test after the click returns, and an empty set then would say nothing.
  await expect.poll(() => slow.seen() > 0 && slow.inFlight() === 0, { timeout: 10_000 }).toBe(true);
  await page.waitForTimeout(200);
}

/** Every console message: a panic in the wasm shows as `panicked at …` then `RuntimeError: unreachable`. */
function watchConsole(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (msg) => seen.push(msg.text()));
  page.on('pageerror', (error) => seen.push(error.message));
  return seen;
}

function expectNoPanic(seen: string[]): void {
  expect(seen.filter((m) => /panicked at|RuntimeError|unreachable/.test(m))).toEqual([]);
}

async function apiAs(request: APIRequestContext, baseUrl: string, userId: string) {
  const token = await apiToken(request, baseUrl, userId);
  const headers = { Authorization: `Bearer ${token}` };
  return {
    async get(path: string) {
      const response = await request.get(`${baseUrl}${path}`, { headers });
      expect(response.status()).toBe(200);
      return response.json();
    },
    async post(path: string, data: unknown) {
      const response = await request.post(`${baseUrl}${path}`, { headers, data });
      expect(response.ok()).toBe(true);
      return response.json();
    },
  };
}

test('leaving Messages while its folders load, then coming back, shows the folders the server has (C3)', async ({ page, request, server }) => {
  const seen = watchConsole(page);
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(sarah, '/groups');
  const slow = await slowDown(page, 'GET', /^\/api\/(folders|requests)/);
  await shell.navLink('Messages').click();
  await shell.navLink('Groups').click();
  await answered(page, slow);
  expectNoPanic(seen);

  // The app still works, and Messages shows what the server says.
  await shell.navLink('Messages').click();
  const folders = await (await apiAs(request, server.url, sarah)).get('/api/folders');
  for (const folder of folders) {
    await expect(messages.folder(folder.id)).toBeVisible();
  }
  await expect(messages.list).toHaveAttribute('aria-busy', 'false');
  expectNoPanic(seen);
});

test('leaving a request before it loads, then opening another, works (V4)', async ({ page }) => {
  const seen = watchConsole(page);
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(sarah, '/messages');
  await expect(messages.list).toHaveAttribute('aria-busy', 'false');
  const first = (await messages.rows().first().getAttribute('data-testid'))!.replace('request-row-', '');
  const slow = await slowDown(page, 'GET', /^\/api\/requests\/r-/);
  await page.getByTestId(`request-link-${first}`).click();
  await shell.navLink('Audit').click();
  await answered(page, slow);
  expectNoPanic(seen);

  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await shell.navLink('Messages').click();
  await messages.openRequest(first);
  await expect(page).toHaveURL(new RegExp(`request=${first}`));
  expectNoPanic(seen);
});

test('switching persona while Messages and a request load shows the new persona their own Messages (R1)', async ({ page, request, server }) => {
  const seen = watchConsole(page);
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(sarah, '/groups');
  const slow = await slowDown(page, 'GET', /^\/api\/(folders|requests|me)/);
  await shell.navLink('Messages').click();
  await shell.switchPersona(james);
  await answered(page, slow);
  expectNoPanic(seen);

  const folders = await (await apiAs(request, server.url, james)).get('/api/folders');
  for (const folder of folders) {
    await expect(messages.folder(folder.id)).toBeVisible();
  }
  await expect(messages.list).toHaveAttribute('aria-busy', 'false');
  const first = (await messages.rows().first().getAttribute('data-testid'))!.replace('request-row-', '');

  // And again from a request that is still loading.
  await page.getByTestId(`request-link-${first}`).click();
  await shell.switchPersona(sarah);
  await answered(page, slow);
  expectNoPanic(seen);
  await expect(page.getByTestId('account')).toContainText('Sarah');
  expectNoPanic(seen);
});

test('proposing an agreement and leaving before the answer: the agreement is on the page when coming back (D1)', async ({ page, request, server }) => {
  const seen = watchConsole(page);
  const shell = new Shell(page);
  const agreements = new AgreementsPage(page);
  await shell.gotoAs(sarah, '/agreements');
  await agreements.combobox.choose('Riverside Medical', 'A81002');
  await agreements.reference.fill('DSA-CR-2026-11 Riverside referrals');
  const slow = await slowDown(page, 'POST', /^\/api\/agreements/);
  await agreements.propose.click();
  await shell.navLink('Groups').click();
  await answered(page, slow);
  expectNoPanic(seen);

  const onServer = await (await apiAs(request, server.url, sarah)).get('/api/agreements');
  expect(JSON.stringify(onServer)).toContain('DSA-CR-2026-11 Riverside referrals');
  await shell.navLink('Agreements').click();
  await expect(agreements.row('A81002')).toContainText('Proposed by us');
  expectNoPanic(seen);

  // Answering one and leaving at once is just as safe.
  await shell.switchPersona(helen);
  await shell.navLink('Agreements').click();
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  const slowAnswer = await slowDown(page, 'POST', /^\/api\/agreements\/.*\/accept/);
  await agreements.row('A81001').getByRole('button', { name: /^Accept/ }).click();
  await shell.navLink('Messages').click();
  await answered(page, slowAnswer);
  await shell.navLink('Agreements').click();
  await expect(agreements.row('A81001').getByTestId('agreement-status')).toHaveText('Active');
  expectNoPanic(seen);
});

test('saving an edited share and pressing Escape before the answer: the list and the reopened dialog show what the server stored (S5)', async ({ page, request, server }) => {
  const seen = watchConsole(page);
  const sarahApi = await apiAs(request, server.url, sarah);
  const share = await sarahApi.post('/api/shares', { target_id: gpTriage, partner_ods_code: 'A81002', restricted: false });
  const shell = new Shell(page);
  const groups = new TargetsPage(page);
  await shell.gotoAs(sarah, '/groups');
  const entry = groups.sharedWith(gpTriage, 'A81002');
  await expect(entry).toBeVisible();
  await expect(entry.getByTestId('share-restricted')).toHaveCount(0);

  const dialog = await groups.openEdit(gpTriage, 'A81002');
  await dialog.restrict.check();
  const slow = await slowDown(page, 'PATCH', /^\/api\/shares\//);
  await dialog.save.click();
  await page.keyboard.press('Escape');
  await expect(dialog.root).toBeHidden();
  await answered(page, slow);
  expectNoPanic(seen);

  const targets = await sarahApi.get('/api/targets');
  const stored = targets.flatMap((t: { shares: { id: string; restricted: boolean }[] }) => t.shares).find((s: { id: string }) => s.id === share.id);
  expect(stored.restricted).toBe(true);
  await expect(entry.getByTestId('share-restricted')).toHaveText('Restricted');
  const again = await groups.openEdit(gpTriage, 'A81002');
  await expect(again.restrict).toBeChecked();
  await page.keyboard.press('Escape');

  // Removing, then Escape before the answer: the share leaves the list.
  const again2 = await groups.openEdit(gpTriage, 'A81002');
  await again2.remove.click();
  const slowRemove = await slowDown(page, 'DELETE', /^\/api\/shares\//);
  await again2.confirmYes.click();
  await page.keyboard.press('Escape');
  await answered(page, slowRemove);
  await expect(entry).toHaveCount(0);
  expect(JSON.stringify(await sarahApi.get('/api/targets'))).not.toContain(share.id);
  expectNoPanic(seen);
});

test('sharing and pressing Escape before the answer: the new share is on the list (S1)', async ({ page, request, server }) => {
  const seen = watchConsole(page);
  const shell = new Shell(page);
  const groups = new TargetsPage(page);
  await shell.gotoAs(sarah, '/groups');
  const dialog = await groups.openShare(gpTriage);
  await dialog.combobox.choose('Riverside Medical', 'A81002');
  const slow = await slowDown(page, 'POST', /^\/api\/shares/);
  await dialog.submit.click();
  await page.keyboard.press('Escape');
  await answered(page, slow);
  expectNoPanic(seen);
  const targets = await (await apiAs(request, server.url, sarah)).get('/api/targets');
  expect(JSON.stringify(targets)).toContain('A81002');
  await expect(groups.sharedWith(gpTriage, 'A81002')).toBeVisible();
  expectNoPanic(seen);
});

test('enabling an external share and leaving before the answer: External shows the stored state (S4)', async ({ page, request, server }) => {
  const seen = watchConsole(page);
  const shell = new Shell(page);
  const external = new ExternalPage(page);
  await shell.gotoAs(sarah, '/external');
  const item = 'g-frailty'; // pending for Camelia in the seed
  await expect(external.action(item)).toBeVisible();
  const slow = await slowDown(page, 'POST', /^\/api\/external\//);
  await external.action(item).click();
  await shell.navLink('Groups').click();
  await answered(page, slow);
  expectNoPanic(seen);
  const stored = await (await apiAs(request, server.url, sarah)).get('/api/external');
  const share = stored.find((s: { target: { id: string } }) => s.target.id === item);
  expect(share.state).toBe('enabled');
  await shell.navLink('External').click();
  await expect(external.action(item)).toHaveText(/^Disable/);
  await expect(external.item(item).getByTestId('share-state')).toHaveText('Accepted');
  expectNoPanic(seen);
});

test('assigning, covering and closing, each left before its answer: Messages agrees with the server afterwards (A1, C1, V1)', async ({ page, request, server }) => {
  const seen = watchConsole(page);
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  const api = await apiAs(request, server.url, sarah);
  await shell.gotoAs(sarah, '/messages');
  await expect(messages.list).toHaveAttribute('aria-busy', 'false');
  const first = (await messages.rows().first().getAttribute('data-testid'))!.replace('request-row-', '');

  // Close, then leave the request before the answer.
  await messages.openRequest(first);
  const slowClose = await slowDown(page, 'POST', /^\/api\/requests\/.*\/close/);
  await page.getByTestId('close-button').click();
  await messages.backToList();
  await answered(page, slowClose);
  expectNoPanic(seen);
  expect((await api.get(`/api/requests/${first}`)).status).toBe('closed');
  await messages.showStatus('all');
  await messages.openRequest(first);
  await expect(page.getByTestId('request-status')).toHaveText('Closed');

  // Open the assign dialog while its targets load, and Escape at once.
  await messages.reopen();
  const slowTargets = await slowDown(page, 'GET', /\/assignable$/);
  await page.getByTestId('assign-button').click();
  await page.keyboard.press('Escape');
  await answered(page, slowTargets);
  expectNoPanic(seen);

  // Toggle a folder's cover and switch persona before the answer.
  await messages.backToList();
  const folders = await api.get('/api/folders');
  const folder = folders.find((f: { kind: string }) => f.kind === 'target');
  const before = await messages.coverToggle(folder.id).getAttribute('aria-pressed');
  const slowCover = await slowDown(page, 'PUT', /^\/api\/covers/);
  await messages.coverToggle(folder.id).click();
  await shell.switchPersona(sarah);
  await answered(page, slowCover);
  expectNoPanic(seen);
  const after = (await api.get('/api/folders')).find((f: { id: string }) => f.id === folder.id);
  await expect(messages.coverToggle(folder.id)).toHaveAttribute('aria-pressed', String(after.covered));
  expect(String(after.covered)).not.toBe(before);
  expectNoPanic(seen);
});
