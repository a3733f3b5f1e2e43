import type { APIRequestContext, Browser, Page, Request } from '@playwright/test';
import { test, expect, expectNoAxeViolations, apiToken } from './support/fixtures';
import { Shell } from './pages/shell';
import { MessagesPage } from './pages/messages';
import { AgreementsPage, ExternalPage, TargetsPage } from './pages/sharing';

// Issue 14, SPEC E1–E4: two browsers signed in as two organisations. What one does shows in
// the other's screens without a reload (E1, E4), and never in an organisation that may not see
// it (E2): there, nothing reloads at all.

// Personas and data of the seed (api-mock/seed/demo.json).
const sarah = 'u-sarah-ahmed'; // Camelia Surgery A81001, admin
const helen = 'u-helen-clarke'; // Riverside Medical Practice A81002, admin
const mark = 'u-mark-robinson'; // North Tees PCN U12345, admin
const aisha = 'u-aisha-khan'; // North Tees PCN U12345, staff
const emma = 'u-emma-taylor'; // Stockton Extended Access Hub Y01234, admin; nothing shared with it
const careHome = 'g-pcn-carehome'; // North Tees PCN's group, shared unrestricted with A81001 and A81002
const rivAdmin = 'g-riv-admin'; // Riverside's group, shared with Camelia restricted
const rivExtended = 'g-riv-extended'; // Riverside's group, shared with Camelia unrestricted

type Persona = { page: Page; shell: Shell; seen: string[] };

/**
 * A browser context of its own (its own sessionStorage, so its own session and stream), signed
 * in as `userId` on `path`, once its live stream is open. Console errors and panics are
 * collected and checked at the end, as the fixture does for `page`.
 */
async function openAs(browser: Browser, baseURL: string, userId: string, path: string): Promise<Persona> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const seen: string[] = [];
  page.on('pageerror', (error) => seen.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) seen.push(msg.text());
  });
  const shell = new Shell(page);
  await shell.gotoAs(userId, path);
  await streamOpen(page);
  // Proof that nothing below reloads the page: a reload would lose this.
  await page.evaluate(() => ((window as unknown as { liveMarker: boolean }).liveMarker = true));
  return { page, shell, seen };
}

async function streamOpen(page: Page): Promise<void> {
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'open');
}

async function notReloaded(p: Persona): Promise<void> {
  expect(await p.page.evaluate(() => (window as unknown as { liveMarker?: boolean }).liveMarker)).toBe(true);
  expect(p.seen, 'errors in the browser console').toEqual([]);
}

/** Counts the API calls a page makes from now on (the live stream and its tickets aside). */
function countCalls(page: Page): { readonly calls: string[] } {
  const calls: string[] = [];
  page.on('request', (r: Request) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/events')) {
      calls.push(`${r.method()} ${url.pathname}${url.search}`);
    }
  });
  return { calls };
}

async function api(request: APIRequestContext, baseUrl: string, userId: string) {
  const token = await apiToken(request, baseUrl, userId);
  const headers = { Authorization: `Bearer ${token}` };
  return {
    async post(path: string, data?: unknown) {
      const response = await request.post(`${baseUrl}${path}`, { headers, data });
      expect(response.status(), `${path}: ${await response.text()}`).toBeLessThan(300);
      return response.status() === 204 ? null : response.json();
    },
    async version(id: string): Promise<number> {
      const response = await request.get(`${baseUrl}/api/requests/${id}`, { headers });
      expect(response.status()).toBe(200);
      return (await response.json()).version;
    },
    async assign(id: string, targetId: string, overrideReason?: string) {
      const version = await this.version(id);
      return this.post(`/api/requests/${id}/assign`, {
        target_id: targetId,
        version,
        ...(overrideReason ? { override_reason: overrideReason } : {}),
      });
    },
  };
}

test.describe.configure({ timeout: 60_000 });

test('a share appears on the partner\'s External page with a notice and a count, and turns green for the owner when enabled (E1, E4, S1, S4)', async ({
  browser,
  server,
}) => {
  const owner = await openAs(browser, server.url, mark, '/groups');
  const partner = await openAs(browser, server.url, emma, '/external');
  const groups = new TargetsPage(owner.page);
  const external = new ExternalPage(partner.page);
  await expect(partner.page.getByTestId('external-empty')).toBeVisible();
  await expect(partner.page.getByTestId('external-waiting')).toHaveCount(0);

  // North Tees PCN shares Care Home Team with the hub (guide step 2).
  const dialog = await groups.openShare(careHome);
  await dialog.combobox.choose('Stockton Extended', 'Y01234');
  await dialog.submit.click();
  await expect(dialog.root).toBeHidden();
  await expect(groups.sharedWith(careHome, 'Y01234').getByTestId('share-state')).toHaveText('Pending');

  // The hub's External page, open all along, shows it at once, says so politely, and the
  // navigation counts what waits for Enable.
  await expect(external.item(careHome)).toBeVisible();
  const notice = partner.page.getByTestId('external-notice');
  await expect(notice).toHaveText('North Tees PCN shared Care Home Team with you.');
  await expect(notice).toHaveAttribute('role', 'status');
  const badge = partner.page.getByTestId('external-waiting');
  await expect(badge).toHaveText('1 share waits for Enable');
  await expect(partner.shell.navLink('External')).toHaveAttribute('aria-describedby', 'external-waiting');
  await expectNoAxeViolations(partner.page);

  // The hub's admin enables it (guide step 3): the count goes, and the owner's tag turns
  // green without a reload.
  await external.action(careHome).click();
  await expect(external.item(careHome).getByTestId('share-state')).toHaveText('Accepted');
  await expect(badge).toHaveCount(0);
  const tag = groups.sharedWith(careHome, 'Y01234').getByTestId('share-state');
  await expect(tag).toHaveText('Accepted');
  await expect(tag).toHaveClass(/nhsuk-tag--green/);
  await expectNoAxeViolations(owner.page);

  // The owner removes it: the partner's page drops it and says so.
  await groups.openEdit(careHome, 'Y01234');
  await groups.editDialog.remove.click();
  await groups.editDialog.confirmYes.click();
  await expect(external.item(careHome)).toHaveCount(0);
  await expect(notice).toHaveText('North Tees PCN stopped sharing Care Home Team with you.');

  await notReloaded(owner);
  await notReloaded(partner);
});

test('an agreement proposed by one organisation appears in the other\'s register, and its answer goes back (E1, D1, D2)', async ({
  browser,
  server,
  request,
}) => {
  const partner = await openAs(browser, server.url, emma, '/agreements');
  const owner = await openAs(browser, server.url, mark, '/agreements');
  const register = new AgreementsPage(partner.page);
  await expect(register.row('U12345')).toHaveCount(0);

  const northTees = await api(request, server.url, mark);
  await northTees.post('/api/agreements', { partner_ods_code: 'Y01234', reference: 'DSA-LIVE-1 Evening clinics' });
  await expect(register.row('U12345')).toBeVisible();
  await expect(register.row('U12345').getByTestId('agreement-status')).toHaveText('Inactive');
  await expect(new AgreementsPage(owner.page).row('Y01234').getByTestId('agreement-status')).toHaveText('Inactive');

  // The hub accepts it in its own browser: North Tees PCN's register shows it active.
  await register.row('U12345').getByTestId('agreement-accept').click();
  await expect(new AgreementsPage(owner.page).row('Y01234').getByTestId('agreement-status')).toHaveText('Active');
  await notReloaded(owner);
  await notReloaded(partner);
});

test('an assignment moves the partner\'s folder count and list without a reload (E1, E4, C3)', async ({
  browser,
  server,
  request,
}) => {
  const partner = await openAs(browser, server.url, aisha, `/messages?status=open&folder=${careHome}`);
  const messages = new MessagesPage(partner.page);
  await expect(messages.list).toHaveAttribute('data-folder', careHome);
  await expect(messages.row('r-1001')).toHaveCount(0);
  const before = Number(await messages.count(careHome).textContent());

  // Camelia Surgery assigns its request (the patient shares) to North Tees PCN's group.
  const camelia = await api(request, server.url, sarah);
  await camelia.assign('r-1001', careHome);

  await expect(messages.row('r-1001')).toBeVisible();
  await expect(messages.count(careHome)).toHaveText(String(before + 1));
  await expectNoAxeViolations(partner.page);
  await notReloaded(partner);
});

test('a do_not_share request reaches only who may see it: elsewhere nothing changes or reloads (E2, V2, A3)', async ({
  browser,
  server,
  request,
}) => {
  // Riverside sees Care Home Team through an unrestricted share (V2), but not the requests of
  // patients who asked not to share.
  const riverside = await openAs(browser, server.url, helen, `/messages?status=open&folder=${careHome}`);
  const messages = new MessagesPage(riverside.page);
  await expect(messages.list).toHaveAttribute('data-folder', careHome);
  const before = Number(await messages.count(careHome).textContent());
  const rowsBefore = await messages.rows().count();
  const calls = countCalls(riverside.page);

  // A request of a do_not_share patient arrives at Camelia and goes to Care Home Team under
  // Camelia's agreement with North Tees PCN.
  const camelia = await api(request, server.url, sarah);
  const secret = await camelia.post('/api/demo/requests', {
    ods_code: 'A81001',
    patient_id: 'p-john-carter',
    subject: 'Live: not for Riverside',
    message: 'The patient asked not to share.',
    kind: 'medical',
  });
  await camelia.assign(secret.id, careHome);

  // Well past the second in which an event would have arrived (E1): nothing reloaded.
  await riverside.page.waitForTimeout(1500);
  expect(calls.calls).toEqual([]);
  await expect(messages.count(careHome)).toHaveText(String(before));
  await expect(messages.rows()).toHaveCount(rowsBefore);

  // A request of a patient who shares does reach Riverside, the same way: the events are in
  // order, so the count moves by this one only.
  await camelia.assign('r-1001', careHome);
  await expect(messages.row('r-1001')).toBeVisible();
  await expect(messages.count(careHome)).toHaveText(String(before + 1));
  await expect(messages.list).not.toContainText('Live: not for Riverside');
  await notReloaded(riverside);
});

test('a request moved into a restricted share never reaches the partner (E2, V3)', async ({ browser, server, request }) => {
  // Camelia sees Riverside's Admin group only for requests Camelia itself assigned there (V3).
  const camelia = await openAs(browser, server.url, sarah, `/messages?status=open&folder=${rivExtended}`);
  const messages = new MessagesPage(camelia.page);
  await expect(messages.list).toHaveAttribute('data-folder', rivExtended);
  const extendedBefore = Number(await messages.count(rivExtended).textContent());
  const adminBefore = Number(await messages.count(rivAdmin).textContent());
  const calls = countCalls(camelia.page);

  const riverside = await api(request, server.url, helen);
  // Ethan Wright shares (V2) and is one of Riverside's own patients (demo calls, issue 19).
  const created = await riverside.post('/api/demo/requests', {
    ods_code: 'A81002',
    patient_id: 'p-ethan-wright',
    subject: 'Live: restricted',
    message: 'Only for Riverside.',
    kind: 'admin',
  });
  await riverside.assign(created.id, rivAdmin);
  await camelia.page.waitForTimeout(1500);
  expect(calls.calls).toEqual([]);
  await expect(messages.count(rivAdmin)).toHaveText(String(adminBefore));

  // Moved to the unrestricted group, it comes into Camelia's sight (V2): the control.
  await riverside.assign(created.id, rivExtended);
  await expect(messages.row(created.id)).toBeVisible();
  await expect(messages.count(rivExtended)).toHaveText(String(extendedBefore + 1));
  await notReloaded(camelia);
});

test('an open request changed by another organisation shows its new state and who changed it, then goes when it leaves sight (E4, A5)', async ({
  browser,
  server,
  request,
}) => {
  const camelia = await openAs(browser, server.url, sarah, '/messages?status=open&request=r-1004');
  const messages = new MessagesPage(camelia.page);
  await expect(camelia.page.getByTestId('request-status')).toHaveText('Open');

  // North Tees PCN closes it.
  const northTees = await api(request, server.url, aisha);
  await northTees.post('/api/requests/r-1004/close', { version: await northTees.version('r-1004') });
  await expect(camelia.page.getByTestId('request-status')).toHaveText('Closed');
  const changed = camelia.page.getByTestId('request-changed-by');
  await expect(changed).toHaveText('Changed by Aisha Khan, North Tees PCN, just now');
  await expectNoAxeViolations(camelia.page);

  // Reopening now works at once: the view holds the new version, so no conflict (A5).
  await messages.reopen();
  await expect(messages.requestError).toHaveCount(0);
  await expect(changed).toHaveCount(0);

  // r-1013 is Riverside's, seen by Camelia through an unrestricted share (V2). Riverside moves
  // it to a group shared with Camelia restricted: the open view says it is gone.
  await camelia.page.goto('/messages?status=open&request=r-1013');
  await streamOpen(camelia.page);
  await expect(camelia.page.getByTestId('request-status')).toHaveText('Open');
  const riverside = await api(request, server.url, helen);
  await riverside.assign('r-1013', rivAdmin);
  await expect(camelia.page.getByTestId('request-gone')).toBeVisible();
  await expectNoAxeViolations(camelia.page);
  await messages.backToList();
  await expect(messages.row('r-1013')).toHaveCount(0);
  expect(camelia.seen).toEqual([]);
});

test('when the stream drops, a small status says so, and it resumes from the last event without missing one (E3)', async ({
  browser,
  server,
  request,
}) => {
  const partner = await openAs(browser, server.url, aisha, `/messages?status=open&folder=${careHome}`);
  const messages = new MessagesPage(partner.page);
  const before = Number(await messages.count(careHome).textContent());
  const status = partner.page.getByTestId('live-status');

  // An event arrives first, so the client has a number to resume from.
  const camelia = await api(request, server.url, sarah);
  await camelia.assign('r-1001', careHome);
  await expect(messages.count(careHome)).toHaveText(String(before + 1));

  // The connection drops and cannot be reopened for now: a polite status says live updates
  // are paused, without covering anything (the folders stay usable).
  const resumedFrom: string[] = [];
  await partner.page.route('**/api/events?*', (route) => route.abort('connectionreset'));
  await partner.page.evaluate(() => window.stop());
  const paused = partner.page.getByTestId('live-paused');
  await expect(paused).toHaveText('Live updates paused — reconnecting');
  await expect(status).toHaveAttribute('role', 'status');
  await expect(messages.folder(careHome)).toBeVisible();
  await expectNoAxeViolations(partner.page);

  // Meanwhile Camelia assigns another request to Care Home Team.
  await camelia.assign('r-1009', careHome);
  await partner.page.waitForTimeout(1500);
  await expect(messages.row('r-1009')).toHaveCount(0);

  // The connection comes back: a new ticket, the stream resumes after the last event seen,
  // and what was missed arrives (E3).
  partner.page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/api/events') resumedFrom.push(url.searchParams.get('last_event_id') ?? '');
  });
  await partner.page.unroute('**/api/events?*');
  await expect(status).toHaveAttribute('data-state', 'open', { timeout: 20_000 });
  await expect(paused).toHaveCount(0);
  await expect(messages.row('r-1009')).toBeVisible();
  await expect(messages.count(careHome)).toHaveText(String(before + 2));
  expect(resumedFrom.length).toBeGreaterThan(0);
  expect(resumedFrom.every((id) => /^\d+$/.test(id))).toBe(true);
  await notReloaded(partner);
});

test('switching persona closes the old stream, and a stream the server ends is reopened with a new ticket each time (E3)', async ({
  browser,
  server,
}) => {
  const persona = await openAs(browser, server.url, aisha, '/groups');
  // Streams that ended, by ticket: closed by the page or by the server.
  const ended: string[] = [];
  const onEnd = (r: Request) => {
    const url = new URL(r.url());
    if (url.pathname === '/api/events') ended.push(url.searchParams.get('ticket') ?? '');
  };
  persona.page.on('requestfinished', onEnd);
  persona.page.on('requestfailed', onEnd);
  const tickets: string[] = [];
  persona.page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/events/ticket') tickets.push(r.method());
  });
  const streams: string[] = [];
  // The next stream is answered with nothing and ended at once, as a server going away would.
  await persona.page.route('**/api/events?*', async (route) => {
    streams.push(new URL(route.request().url()).searchParams.get('ticket') ?? '');
    if (streams.length === 1) {
      await route.fulfill({ status: 200, contentType: 'text/event-stream', body: ': bye\n\n' });
    } else {
      await route.continue();
    }
  });
  // Switching persona closes the old stream and opens one for the new persona.
  await persona.shell.switchPersona(mark);
  await expect(persona.page.getByTestId('live-paused')).toBeVisible();
  await streamOpen(persona.page);
  expect(tickets.length).toBeGreaterThanOrEqual(2);
  expect(new Set(streams).size).toBe(streams.length);
  // Aisha's stream and the one the server ended are over; Mark's is the only one open.
  await expect.poll(() => ended.length).toBe(2);
  expect(ended).toContain(streams[0]);
  expect(ended).not.toContain(streams[streams.length - 1]);
  expect(persona.seen).toEqual([]);
});

test('a change made between a tab\'s first reads and the opening of its first stream still shows (E1, E3)', async ({
  browser,
  server,
  request,
}) => {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  // Hold the tab's first ticket until the change below is made: the screens have read, the
  // stream is not open yet.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/events/ticket', async (route) => {
    await held;
    await route.continue();
  });
  const shell = new Shell(page);
  await shell.gotoAs(emma, '/external');
  const external = new ExternalPage(page);
  await expect(page.getByTestId('external-empty')).toBeVisible();
  await page.evaluate(() => ((window as unknown as { liveMarker: boolean }).liveMarker = true));

  const owner = await api(request, server.url, mark);
  await owner.post('/api/shares', { target_id: careHome, partner_ods_code: 'Y01234', restricted: false });
  release();
  await streamOpen(page);

  // The stream starts from the number the first reads carried, so the share is replayed.
  await expect(external.item(careHome)).toBeVisible();
  await expect(page.getByTestId('external-waiting')).toHaveText('1 share waits for Enable');
  expect(await page.evaluate(() => (window as unknown as { liveMarker?: boolean }).liveMarker)).toBe(true);
  await context.close();
});
