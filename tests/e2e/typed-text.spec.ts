import type { Locator, Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import type { RunningServer } from './support/server';
import { sampleStudyFile, startStudyServer } from './support/study';
import { Shell, navItems } from './pages/shell';
import { TargetsPage } from './pages/sharing';
import { MessagesPage } from './pages/messages';

// Issue 22 item 3, SPEC K6: typed text is never stored, only its length. A participant types a
// marker into every text field of the app, in every screen and dialog it can reach, submits
// where a form would refuse it (so the refusal and the problem shown are logged), and then
// the marker must be found in none of: the participant's log, the CSV and JSON exports, the
// participants list, and everything the server printed (at `RUST_LOG=debug`). The same run
// checks the log did record the calls (by route template) and the problems (field and code),
// so an empty log could not pass it.

const studyFile = sampleStudyFile;
const facilitatorKey = '0d6b2f9e4c1a4e7f8b3c5d2a9e1f7c3b6a8d4e2f1c9b7a5e';
// Short enough that every reason or reference field refuses it (fewer than 10 characters).
const marker = 'Qz7Marker';

/** Calls the API as the facilitator (or with `token`), answering the body as text. */
async function call(
  server: RunningServer,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, text: await r.text() };
}

/** Every visible text box inside `scope`: inputs that take text, and text areas. */
function textFields(scope: Page | Locator): Locator {
  return scope.locator(
    'input:not([type]):visible, input[type=text]:visible, input[type=search]:visible, ' +
      'input[type=email]:visible, input[type=tel]:visible, input[type=url]:visible, textarea:visible',
  );
}

/** Types the marker into every visible text field in `scope`, key by key; answers how many. */
async function typeEverywhere(scope: Page | Locator): Promise<number> {
  const fields = textFields(scope);
  const n = await fields.count();
  for (let i = 0; i < n; i += 1) {
    const field = fields.nth(i);
    await field.click();
    await field.fill('');
    await field.pressSequentially(marker);
  }
  return n;
}

test.describe.configure({ timeout: 120_000 });

test('text a participant types reaches no log, export or server output (K6)', async ({ browser }) => {
  const server = await startStudyServer({
    tmpPrefix: 'typed-text-e2e-',
    studyFile,
    facilitatorKey,
    env: { RUST_LOG: 'debug' },
  });
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const fac = JSON.parse((await call(server, 'POST', '/api/research/session', undefined, { key: facilitatorKey })).text)
      .token as string;
    const created = await call(server, 'POST', '/api/research/participants', fac, { label: 'Typist' });
    expect(created.status).toBe(201);
    const participant = JSON.parse(created.text) as { id: string; link: string };

    const page = await context.newPage();
    // What of the typed text the browser sent the server (the organisation searches' `q`): the
    // server did receive it, so its absence below means it kept none of it.
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes(marker) || (r.postData() ?? '').includes(marker)) sent.push(r.url());
    });
    const shell = new Shell(page);
    await page.goto(participant.link);
    await expect(page).toHaveURL(/\/messages/);
    await page.getByTestId('account').waitFor();
    let typed = 0;

    // Every screen of the navigation, as the first task's persona (an admin of Camelia).
    for (const { label, path } of navItems) {
      await shell.navLink(label).click();
      await expect(page).toHaveURL(new RegExp(path));
      await expect(shell.heading).toBeVisible();
      typed += await typeEverywhere(page.locator('main'));
    }

    // The Share dialog: the organisation search reaches the server as a query; Share with
    // nothing chosen shows a problem.
    await shell.navLink('Groups').click();
    const groups = new TargetsPage(page);
    const share = await groups.openShare('g-cam-reception');
    await share.combobox.type(marker);
    await expect(share.combobox.noResults).toBeVisible();
    typed += 1;
    await share.submit.click();
    await expect(share.root.locator('.nhsuk-error-summary, .nhsuk-error-message').first()).toBeVisible();
    await share.cancel.click();
    await expect(share.root).toBeHidden();

    // Agreements: a proposal with the marker as organisation and reference is refused.
    await shell.navLink('Agreements').click();
    const propose = page.getByTestId('propose-form');
    await expect(propose).toBeVisible();
    typed += await typeEverywhere(propose);
    await page.getByTestId('propose-submit').click();
    await expect(page.getByTestId('propose-problems')).toBeVisible();

    // As James Wilson (staff at Camelia): the assign dialog's filter and its reason.
    await page.getByTestId('switch-persona').click();
    await page.getByTestId('page-participant-picker').getByTestId('persona-u-james-wilson').click();
    await expect(page.getByTestId('account-name')).toContainText('James Wilson');
    const messages = new MessagesPage(page);
    // r-1004 (John Carter, who does not share) is with the PCN: Riverside needs a reason (A3).
    await page.goto('/messages?request=r-1004');
    await expect(messages.detail).toBeVisible();
    const assign = await messages.openAssign();
    await assign.filter.pressSequentially(marker);
    typed += 1;
    await assign.filter.fill('');
    await assign.choose('g-riv-extended');
    await expect(assign.reason).toBeVisible();
    await assign.reason.pressSequentially(marker);
    typed += 1;
    await assign.expectRefused('Reason must be at least 10 characters');
    await assign.cancel.click();
    await expect(assign.root).toBeHidden();
    expect(typed, 'text fields typed into').toBeGreaterThanOrEqual(5);
    expect(sent.length, 'requests that carried the typed text to the server').toBeGreaterThan(0);

    // The client sends its batched log when the tab is hidden or navigates away.
    await page.goto('/about');
    await page.close();

    // What the researcher can read: the log, the exports, the participants list.
    let log = '';
    await expect
      .poll(async () => {
        log = (await call(server, 'GET', `/api/research/participants/${participant.id}/log`, fac)).text;
        return log.includes('"kind":"problem"');
      }, { timeout: 10_000, message: 'the problems shown reach the log' })
      .toBe(true);
    const entries = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; route?: string; name?: string; field?: string; code?: string });
    // The calls were logged, by route template (the search's query string is not part of it).
    expect(entries.some((e) => e.kind === 'call' && e.route === '/api/organisations')).toBe(true);
    expect(entries.some((e) => e.kind === 'screen')).toBe(true);
    const csv = (await call(server, 'GET', '/api/research/results?format=csv', fac)).text;
    const json = (await call(server, 'GET', '/api/research/results?format=json', fac)).text;
    const list = (await call(server, 'GET', '/api/research/participants', fac)).text;
    expect(JSON.parse(json)).toBeTruthy();
    const printed = server.output();
    expect(printed, 'the server printed its request log').toMatch(/request/);
    for (const [what, text] of [
      ['the participant log', log],
      ['the CSV export', csv],
      ['the JSON export', json],
      ['the participants list', list],
      ['the server output', printed],
    ] as const) {
      expect(text.toLowerCase().includes(marker.toLowerCase()), `${what} holds no typed text`).toBe(false);
    }
  } finally {
    await context.close();
    await server.stop();
  }
});
