import type { APIRequestContext } from '@playwright/test';
import { test, expect, expectNoAxeViolations, apiToken } from './support/fixtures';
import { Shell } from './pages/shell';
import { AssignDialog, MessagesPage } from './pages/messages';

// Personas of the seed (api-mock/seed/demo.json).
const sarah = 'u-sarah-ahmed'; // Camelia Surgery A81001, admin; covers GP Triage and Care Home Team
const james = 'u-james-wilson'; // Camelia Surgery A81001, staff; covers Reception and Sent Externally
const tom = 'u-tom-bennett'; // Riverside A81002, staff (Care Home Team is shared with it, unrestricted)
const aisha = 'u-aisha-khan'; // North Tees PCN U12345, staff; covers Care Home Team
const daniel = 'u-daniel-hughes'; // Tees Community Frailty Service RX401, staff

/** A small API client signed in as one persona, to set up or check a scenario. */
async function apiAs(request: APIRequestContext, baseUrl: string, userId: string) {
  const token = await apiToken(request, baseUrl, userId);
  const headers = { Authorization: `Bearer ${token}` };
  return {
    get: (path: string) => request.get(`${baseUrl}${path}`, { headers }),
    post: (path: string, data: unknown) => request.post(`${baseUrl}${path}`, { headers, data }),
    async version(id: string): Promise<number> {
      const response = await request.get(`${baseUrl}/api/requests/${id}`, { headers });
      expect(response.status()).toBe(200);
      return (await response.json()).version;
    },
    async newRequest(patientId: string, subject: string, message: string): Promise<string> {
      const response = await request.post(`${baseUrl}/api/demo/requests`, {
        headers,
        data: { ods_code: 'A81001', patient_id: patientId, subject, message, kind: 'medical' },
      });
      expect(response.status()).toBe(201);
      return (await response.json()).id;
    },
  };
}

async function rowIds(messages: MessagesPage): Promise<string[]> {
  const ids = await messages.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
  return ids.map((id) => (id ?? '').replace('request-row-', ''));
}

test('C4: the Messages page lists My requests and the covered folders, newest activity first, with patient, NHS number 3-3-4, kind, origin and assignee with its organisation', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/messages');
  await expect(messages.listHeading).toHaveText('My messages');
  await expect(messages.row('r-1014')).toBeVisible();
  // James covers Reception and Sent Externally; he has no requests of his own.
  expect(await rowIds(messages)).toEqual(['r-1014', 'r-1005', 'r-1004', 'r-1003', 'r-1009']);
  const row = messages.row('r-1004');
  await expect(row).toContainText('John Carter');
  await expect(row).toContainText('944 038 8544');
  await expect(row).toContainText('Swollen ankles');
  await expect(row).toContainText('Medical');
  await expect(row).toContainText('Camelia Surgery');
  await expect(row).toContainText('Care Home Team (North Tees PCN)');
  await expect(row.locator('time')).toHaveAttribute('datetime', /^2026-11-22T/);
  // Each folder shows its open count (C4), and All and My requests cannot be covered (C1).
  await expect(messages.count('all')).toHaveText('8');
  await expect(messages.count('sent_externally')).toHaveText('4');
  await expect(messages.coverToggle('all')).toHaveCount(0);
  await expect(messages.coverToggle('mine')).toHaveCount(0);
  await expect(messages.coverToggle('g-cam-reception')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Cover Care Home Team (North Tees PCN)' })).toHaveAttribute('aria-pressed', 'false');
  await expectNoAxeViolations(page);
});

test('C1, C2, C4: covering a folder adds its requests to the Messages page, uncovering removes them, and covers persist after a reload', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/messages');
  await expect(messages.row('r-1003')).toBeVisible();
  await expect(messages.row('r-1002')).toHaveCount(0);

  await messages.setCover('g-cam-gps', true);
  await expect(messages.row('r-1002')).toBeVisible();
  await messages.setCover('sent_externally', false);
  await expect(messages.row('r-1003')).toHaveCount(0);
  expect(await rowIds(messages)).toEqual(['r-1014', 'r-1002']);
  // Counts follow visibility, not covers.
  await expect(messages.count('sent_externally')).toHaveText('4');

  await page.reload();
  await expect(messages.row('r-1002')).toBeVisible();
  await expect(messages.coverToggle('g-cam-gps')).toHaveAttribute('aria-pressed', 'true');
  await expect(messages.coverToggle('sent_externally')).toHaveAttribute('aria-pressed', 'false');
});

test('C3: selecting a folder shows just that folder, the address holds folder, status and request, and Back returns through them', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/messages');
  await expect(messages.row('r-1014')).toBeVisible();

  await messages.openFolder('g-cam-gps');
  await expect(messages.listHeading).toHaveText('GP Triage');
  expect(await rowIds(messages)).toEqual(['r-1002']);
  await expect(page).toHaveURL(/folder=g-cam-gps/);

  await messages.openRequest('r-1002');
  await expect(page).toHaveURL(/folder=g-cam-gps.*request=r-1002/);
  await expect(page.getByRole('heading', { name: 'Sore throat for a week' })).toBeFocused();

  // A link to the request opens it directly, for another persona of the same organisation too.
  const url = page.url();
  await page.goBack();
  await expect(messages.list).toHaveAttribute('data-folder', 'g-cam-gps');
  await expect(messages.row('r-1002')).toBeVisible();
  await page.goBack();
  await expect(messages.listHeading).toHaveText('My messages');
  await page.goto(url);
  await expect(messages.detail).toContainText('Olivia Brown');
});

test('C4: the status filter shows open, closed or all requests, and an empty folder says so', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/messages?folder=all');
  await expect(messages.row('r-1014')).toBeVisible();
  await messages.showStatus('closed');
  expect(await rowIds(messages)).toEqual(['r-1011', 'r-1006']);
  await expect(messages.row('r-1006')).toContainText('Closed');
  await messages.showStatus('all');
  await expect(messages.row('r-1006')).toBeVisible();
  await expect(messages.row('r-1014')).toBeVisible();
  await expect(page).toHaveURL(/status=all/);

  await messages.showStatus('open');
  await messages.openFolder('mine');
  await expect(messages.empty).toHaveText('No open requests in My requests.');
  await expectNoAxeViolations(page);
});

test('a request whose subject and message hold <script> and HTML shows them as text, never as markup', async ({ page, request, server }) => {
  const api = await apiAs(request, server.url, james);
  const message = `<script>window.__pwned = 1</script><b>bold</b><img src=x onerror="window.__pwned = 2">`;
  const id = await api.newRequest('p-olivia-brown', '<i>Urgent</i> & <script>', message);
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, `/messages?folder=all&request=${id}`);
  await expect(page.getByTestId('request-message')).toHaveText(message);
  await expect(page.getByRole('heading', { name: '<i>Urgent</i> & <script>' })).toBeVisible();
  await expect(page.getByTestId('request-message').locator('b, img, script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await messages.backToList();
  await expect(messages.row(id)).toContainText('<i>Urgent</i> & <script>');
});

test('when the list cannot be loaded the page says so and Try again recovers', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await page.route('**/api/requests?*', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unavailable', message: 'Unavailable.' } }),
    }),
  );
  await shell.gotoAs(james, '/messages');
  const error = page.getByTestId('messages-load-error');
  await expect(error).toContainText('The requests could not be loaded');
  await page.unroute('**/api/requests?*');
  await error.getByRole('button', { name: 'Try again' }).click();
  await expect(messages.row('r-1014')).toBeVisible();
  await expect(error).toHaveCount(0);
});

test('while a folder loads the list says so and marks itself busy, then shows the folder', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/messages');
  await expect(messages.row('r-1014')).toBeVisible();
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/requests?folder=g-cam-gps*', async (route) => {
    await held;
    await route.continue();
  });
  await messages.folder('g-cam-gps').click();
  await expect(messages.list).toHaveAttribute('aria-busy', 'true');
  await expect(messages.list.getByRole('status')).toHaveText('Loading requests…');
  release();
  await expect(messages.row('r-1002')).toBeVisible();
  await expect(messages.list).toHaveAttribute('aria-busy', 'false');
  await expect(messages.row('r-1014')).toHaveCount(0);
});

test('V2, C3, A6: a practice assigns a share-consenting request to the PCN care home team, the PCN sees it in All and passes it to the frailty team, and the practice follows and manages it in Sent Externally', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);

  // The practice: Dr Sarah Ahmed assigns r-1001 (Amira Hussain shares her data) from the inbox.
  await shell.gotoAs(sarah, '/messages');
  await messages.openFolder('all');
  const careHomeBefore = Number(await messages.count('g-pcn-carehome').innerText());
  await messages.openRequest('r-1001');
  await expect(page.getByTestId('patient-sharing')).toHaveText('Shares data with other organisations');
  await expect(page.getByTestId('patient-nhs-number')).toHaveText('964 304 4327');
  await expectNoAxeViolations(page);
  const dialog = await messages.openAssign();
  await expect(dialog.section('own')).toContainText('Your organisation');
  await expect(dialog.section('U12345')).toContainText('North Tees PCN');
  await dialog.filter.fill('care home');
  await expect(dialog.target('g-pcn-carehome')).toBeVisible();
  await expect(dialog.target('g-cam-gps')).toHaveCount(0);
  await dialog.choose('g-pcn-carehome');
  await expect(dialog.reason).toHaveCount(0);
  await expect(dialog.wouldSee).toContainText('Camelia Surgery');
  await expect(dialog.wouldSee).toContainText('North Tees PCN');
  // Riverside also has the team shared without restriction: counted, never named.
  await expect(dialog.wouldSee).toContainText('and 1 other organisation');
  await expect(dialog.wouldSee).not.toContainText('Riverside');
  await expectNoAxeViolations(page);
  await dialog.submit.click();
  await expect(dialog.root).toBeHidden();
  await expect(messages.notice).toHaveText('Assigned to Care Home Team (North Tees PCN).');
  await expect(page.getByTestId('request-assignee')).toHaveText('Care Home Team (North Tees PCN)');
  await expect(page.getByTestId('assign-button')).toBeFocused();
  // The folder counts follow without a page reload.
  await expect(messages.count('g-pcn-carehome')).toHaveText(String(careHomeBefore + 1));

  // Another partner with an unrestricted share of the team sees it there too, and why (V2).
  await shell.switchPersona(tom);
  await page.goto('/messages?folder=all');
  await expect(messages.row('r-1001')).toBeVisible();
  await messages.openRequest('r-1001');
  await expect(messages.why).toContainText('Care Home Team');
  await expect(messages.why).toContainText('North Tees PCN shares with your organisation without restriction');

  // The PCN: Aisha Khan sees it in All and passes it on to the frailty team.
  await shell.switchPersona(aisha);
  await page.goto('/messages?folder=all');
  await expect(messages.row('r-1001')).toBeVisible();
  await messages.openRequest('r-1001');
  await expect(messages.why).toContainText('Your organisation has been involved in this request');
  const second = await messages.openAssign();
  await expect(second.section('RX401')).toContainText('Tees Community Frailty Service');
  await second.assignTo('g-frailty');
  await expect(page.getByTestId('request-assignee')).toHaveText('Frailty Team (Tees Community Frailty Service)');

  // Riverside was never involved: its view through the care home team ends with the hop (V4).
  await shell.switchPersona(tom);
  await page.goto('/messages?folder=all');
  await expect(messages.list).toHaveAttribute('aria-busy', 'false');
  await expect(messages.row('r-1001')).toHaveCount(0);

  // The practice follows it in Sent Externally and can still manage it.
  await shell.switchPersona(sarah);
  await page.goto('/messages?folder=sent_externally');
  await expect(messages.row('r-1001')).toContainText('Frailty Team (Tees Community Frailty Service)');
  await messages.openRequest('r-1001');
  const steps = messages.journey.locator('li');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText('Received by Camelia Surgery');
  await expect(steps.nth(1)).toContainText('Assigned by Dr Sarah Ahmed (Camelia Surgery) from Camelia Surgery inbox to Care Home Team (North Tees PCN)');
  await expect(steps.nth(2)).toContainText('Assigned by Aisha Khan (North Tees PCN) from Care Home Team (North Tees PCN) to Frailty Team (Tees Community Frailty Service)');
  await messages.close();
  await expect(messages.notice).toHaveText('Request closed.');
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(3)).toContainText('Closed by Dr Sarah Ahmed (Camelia Surgery)');
});

test('A3: a do_not_share request needs a reason of 10 to 1000 characters naming the missing agreement, and the reason appears in the journey and the audit CSV', async ({ page, request, server }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  // r-1004 (John Carter, do_not_share) is with the PCN; Riverside has never been involved and
  // has no agreement with Camelia Surgery.
  await shell.gotoAs(james, '/messages?request=r-1004');
  await expect(page.getByTestId('patient-sharing')).toHaveText('Has asked not to share data');
  const dialog = await messages.openAssign();
  await dialog.choose('g-riv-extended');
  await expect(dialog.reasonWhy).toContainText(
    'no active data sharing agreement between Camelia Surgery and Riverside Medical Practice',
  );
  await dialog.expectRefused('Enter a reason');
  await dialog.reason.fill('   too short   ');
  await expect(dialog.reasonCount).toHaveText('9 characters: at least 10 needed.');
  await dialog.expectRefused('Reason must be at least 10 characters');
  await dialog.reason.fill('x'.repeat(1001));
  await expect(dialog.reasonCount).toContainText('1 too many');
  await dialog.expectRefused('Reason must be 1000 characters or fewer');
  const reason = 'Patient phoned and agreed to the Riverside extended hours clinic seeing this.';
  await dialog.reason.fill(`  ${reason}  `);
  await expect(dialog.reasonCount).toHaveText(`${reason.length} of at most 1000 characters.`);
  await expect(dialog.submit).toBeEnabled();
  await expectNoAxeViolations(page);
  await dialog.submit.click();
  await expect(dialog.root).toBeHidden();

  const last = messages.journey.locator('li').last();
  await expect(last).toContainText('to Extended (Riverside Medical Practice)');
  await expect(last.getByTestId('journey-reason')).toContainText(reason);

  const api = await apiAs(request, server.url, james);
  const csv = await (await api.get('/api/audit?format=csv')).text();
  expect(csv).toContain(reason);
});

test('A3, D2, A6: an active agreement with the origin makes the override automatic, and a second hop to an organisation without one needs a reason', async ({ page, request, server }) => {
  const api = await apiAs(request, server.url, james);
  const id = await api.newRequest('p-david-lee', 'Breathless at night', 'I wake up breathless most nights.');
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, `/messages?folder=all&request=${id}`);
  const dialog = await messages.openAssign();
  await dialog.choose('g-pcn-carehome');
  await expect(dialog.agreement).toHaveText(
    'Information: Your data sharing agreement DSA-NT-2025-01 North Tees PCN information sharing agreement with North Tees PCN applies, so no reason is needed.',
  );
  await expect(dialog.reason).toHaveCount(0);
  await expect(dialog.submit).toBeEnabled();
  await dialog.submit.click();
  await expect(dialog.root).toBeHidden();
  await expect(messages.journey.getByTestId('journey-agreement')).toHaveText(
    'Shared under the data sharing agreement DSA-NT-2025-01 North Tees PCN information sharing agreement',
  );

  // The PCN passes it on: Camelia Surgery's agreement with the frailty service is not active.
  await shell.switchPersona(aisha);
  await page.goto(`/messages?folder=all&request=${id}`);
  const second = await messages.openAssign();
  await second.choose('g-frailty');
  await expect(second.reasonWhy).toContainText(
    'no active data sharing agreement between Camelia Surgery and Tees Community Frailty Service',
  );
  await second.expectRefused('Enter a reason');
  await second.reason.fill('Frailty team asked to review nocturnal breathlessness at home.');
  await second.submit.click();
  await expect(second.root).toBeHidden();
  await expect(messages.journey.locator('li').last().getByTestId('journey-reason')).toContainText('nocturnal breathlessness');
});

test('V3: a restricted partner covering a group sees only the requests it assigned there', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  // Riverside's Admin group is shared with Camelia Surgery, restricted; r-1009 was assigned
  // there by Camelia Surgery, r-1008 by Riverside itself.
  await shell.gotoAs(james, '/messages');
  await messages.setCover('g-riv-admin', true);
  await expect(messages.row('r-1009')).toBeVisible();
  await expect(messages.row('r-1008')).toHaveCount(0);
  await messages.openFolder('g-riv-admin');
  expect(await rowIds(messages)).toEqual(['r-1009']);
  await expect(messages.count('g-riv-admin')).toHaveText('1');
  await page.goto('/messages?request=r-1008');
  await expect(page.getByTestId('request-not-found')).toContainText('Request not found');
});

test('V1: a closed request stays visible to every organisation it passed through, and any of them may reopen it', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  // r-1003 went Camelia Surgery → North Tees PCN care home team → frailty team.
  await shell.gotoAs(daniel, '/messages?folder=all&request=r-1003');
  await messages.close();

  for (const [persona, folder] of [
    [daniel, 'all'],
    [aisha, 'sent_externally'],
    [james, 'sent_externally'],
  ] as const) {
    if (persona !== daniel) await shell.switchPersona(persona);
    await page.goto(`/messages?folder=${folder}&status=closed`);
    await expect(messages.row('r-1003')).toContainText('Closed');
    await messages.openRequest('r-1003');
    await expect(page.getByTestId('request-status')).toHaveText('Closed');
    await expect(messages.why).toContainText('Your organisation has been involved in this request');
  }
  await expectNoAxeViolations(page);
  await messages.reopen();
  await expect(messages.notice).toHaveText('Request reopened.');
  await expect(messages.journey.locator('li').last()).toContainText('Reopened by James Wilson (Camelia Surgery)');
});

test('A5: when someone else changed the request first, assigning shows "This request changed — reload" and reloads it', async ({ page, request, server }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  // With live updates the open request would reload as soon as the colleague changed it (E4,
  // live.spec.ts); while they are paused (no stream) it cannot, and the server's version check
  // is what stops the stale change (A5).
  await page.route('**/api/events?*', (route) => route.abort());
  await shell.gotoAs(james, '/messages?request=r-1014');
  await expect(page.getByTestId('live-paused')).toBeVisible();
  const dialog = await messages.openAssign();
  await dialog.choose('u-priya-patel');

  // Meanwhile a colleague moves it to GP Triage.
  const sarahApi = await apiAs(request, server.url, sarah);
  const moved = await sarahApi.post('/api/requests/r-1014/assign', {
    target_id: 'g-cam-gps',
    version: await sarahApi.version('r-1014'),
  });
  expect(moved.status()).toBe(200);

  await dialog.submit.click();
  await expect(dialog.error).toContainText('This request changed — reload');
  await expect(page.getByTestId('request-assignee')).toHaveText('GP Triage (Camelia Surgery)');
  // With the latest version loaded, the same choice now succeeds.
  await dialog.submit.click();
  await expect(dialog.root).toBeHidden();
  await expect(page.getByTestId('request-assignee')).toHaveText('Priya Patel (Camelia Surgery)');

  // Closing on a stale version is refused the same way.
  await sarahApi.post('/api/requests/r-1014/close', { version: await sarahApi.version('r-1014') });
  await page.getByTestId('close-button').click();
  await expect(messages.requestError).toContainText('This request changed — reload');
  await expect(page.getByTestId('request-status')).toHaveText('Closed');
});

test('C3: an assigned request leaves the folder and the counts move without a page reload', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/messages?folder=g-cam-reception');
  await expect(messages.row('r-1014')).toBeVisible();
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await messages.openRequest('r-1014');
  const dialog = await messages.openAssign();
  await dialog.assignTo('g-cam-gps');
  await expect(messages.count('g-cam-reception')).toHaveText('0');
  await expect(messages.count('g-cam-gps')).toHaveText('2');
  await messages.backToList();
  await expect(messages.empty).toHaveText('No open requests in Reception.');
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test('A1–A3 by keyboard only: open the dialog, filter, choose, give a reason and assign; focus returns to Assign', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/messages?request=r-1004');
  await expect(page.getByRole('heading', { name: 'Swollen ankles' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('assign-button')).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = new AssignDialog(page);
  await expect(dialog.filter).toBeFocused();
  await page.keyboard.type('Evening');
  await page.keyboard.press('Tab');
  await expect(dialog.target('g-hub-appointments')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(dialog.target('g-hub-appointments')).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(dialog.reason).toBeFocused();
  await page.keyboard.type('Patient asked for an evening appointment at the hub by phone.');
  await page.keyboard.press('Tab');
  await expect(dialog.submit).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.root).toBeHidden();
  await expect(page.getByTestId('request-assignee')).toHaveText(
    'Evening and Weekend Appointments (Stockton Extended Access Hub)',
  );
  await expect(page.getByTestId('assign-button')).toBeFocused();

  // Escape dismisses the dialog and focus goes back to the Assign button too.
  await page.keyboard.press('Enter');
  await expect(dialog.filter).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog.root).toBeHidden();
  await expect(page.getByTestId('assign-button')).toBeFocused();
});

test('on a phone the request list fits the screen: each request stacks, with its column names shown beside the values', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/messages');
  const row = messages.row('r-1004');
  await expect(row).toBeVisible();
  // Nothing is wider than the screen: no sideways scrolling to read a request.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const rowBox = await row.boundingBox();
  expect(rowBox!.x + rowBox!.width).toBeLessThanOrEqual(375);
  // The column headers are hidden visually on a narrow screen, so each cell names its column.
  for (const name of ['Patient', 'Request', 'From', 'Assigned to', 'Last activity']) {
    await expect(row.locator('.nhsuk-table-responsive__heading', { hasText: name })).toBeVisible();
  }
  await expect(row).toContainText('Swollen ankles');
  await expectNoAxeViolations(page);
});

test('C3, V4: opening a request from a folder, Back and Forward, a folder link from the request and leaving Messages from a folder all work without a browser error (issue 15 A)', async ({ page }) => {
  // The list, the request and the assign targets wait for their answers in a <Transition>.
  // Each of these steps removes a view while its address changes; the pageErrors fixture
  // fails the test on any panic ("already disposed").
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs(james, '/messages');
  await messages.openFolder('g-cam-gps');
  await messages.openRequest('r-1002');
  const dialog = await messages.openAssign();
  await dialog.cancel.click();
  await page.goBack();
  await expect(messages.list).toHaveAttribute('data-folder', 'g-cam-gps');
  await expect(messages.row('r-1002')).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId('request-status')).toBeVisible();
  await messages.folder('g-cam-gps').click();
  await expect(messages.row('r-1002')).toBeVisible();
  await messages.showStatus('all');
  await shell.navLink('Groups').click();
  await expect(page).toHaveURL(/\/groups$/);
  await shell.navLink('Messages').click();
  await expect(messages.list).toHaveAttribute('aria-busy', 'false');
  await expect(messages.listHeading).toHaveText('My messages');
});
