import { readFile } from 'node:fs/promises';
import { test, expect, expectNoAxeViolations, apiToken } from './support/fixtures';
import { Shell } from './pages/shell';
import { AuditPage } from './pages/sharing';

const sarah = 'u-sarah-ahmed'; // Camelia Surgery A81001, admin

test('the audit log lists the newest event first and filters by action (L1, L2)', async ({ page, request, baseURL }) => {
  // A share made just now is the newest event of the organisation.
  const token = await apiToken(request, baseURL!, sarah);
  const made = await request.post(`${baseURL}/api/shares`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { target_id: 'g-cam-gps', partner_ods_code: 'FA123', restricted: true },
  });
  expect(made.status()).toBe(201);

  const shell = new Shell(page);
  const audit = new AuditPage(page);
  await shell.gotoAs(sarah, '/audit');
  await expect(audit.rows.first()).toHaveAttribute('data-action', 'share_created');
  await expect(audit.rows.first()).toContainText('Share created');
  const all = await audit.rows.count();
  expect(all).toBeGreaterThan(1);

  await audit.filter.selectOption({ label: 'Share created' });
  await expect(audit.rows).toHaveCount(1);
  await expect(audit.rows.first()).toContainText('Dr Sarah Ahmed');

  await audit.filter.selectOption({ label: 'Request received' });
  const received = await audit.rows.count();
  expect(received).toBeGreaterThan(0);
  for (const action of await audit.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))) {
    expect(action).toBe('request_received');
  }

  await audit.filter.selectOption({ label: 'Agreement refused' });
  await expect(page.getByTestId('audit-empty')).toHaveText('No events to show.');
  await audit.filter.selectOption({ label: 'All actions' });
  await expect(audit.rows).toHaveCount(all);
  await expectNoAxeViolations(page);
});

test('Download CSV saves audit-<ODS>.csv with the header row and the events (L2)', async ({ page }) => {
  const shell = new Shell(page);
  const audit = new AuditPage(page);
  await shell.gotoAs(sarah, '/audit');
  await expect(audit.rows.first()).toBeVisible();
  // The CSV holds the whole log, every page of it: as many events as the page counts.
  const rows = Number((await page.getByTestId('audit-count').textContent())!.match(/^([\d,]+) event/)![1].replace(/,/g, ''));
  const [download] = await Promise.all([page.waitForEvent('download'), audit.download.click()]);
  expect(download.suggestedFilename()).toBe('audit-A81001.csv');
  const path = await download.path();
  const text = await readFile(path, 'utf8');
  const lines = text.split('\r\n').filter((l) => l.length > 0);
  expect(lines[0]).toBe('id,at,user_id,user_name,ods_code,organisation_name,action,subject_id,request_subject,detail');
  // Details may hold quoted line breaks, so count events by their id column instead.
  expect(text.match(/\r\n[^,\r\n"]+,\d{4}-\d{2}-\d{2}T/g)?.length).toBe(rows);
  expect(text).toContain(',request_received,');
});

// Issue 15, item 4: the audit log in people's words (L1, L2): users and organisations by name,
// requests by subject with a link, and times in UK local time like every other screen.
test('the audit log names users, organisations and requests, in UK local time (L1, L2)', async ({ page }) => {
  const shell = new Shell(page);
  const audit = new AuditPage(page);
  await shell.gotoAs(sarah, '/audit');
  await expect(audit.rows.first()).toBeVisible();
  const table = page.getByTestId('audit-table');
  await expect(table).not.toContainText(/\bu-[a-z]+-[a-z]+\b/);
  await expect(table).not.toContainText(/\br-\d{4}\b/);
  await expect(table).not.toContainText('UTC');
  await expect(table).toContainText('Dr Sarah Ahmed');
  await expect(table).toContainText('Camelia Surgery (A81001)');
  // 24 Nov 2026, 08:05, as Messages shows times.
  await expect(audit.rows.first().locator('time')).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);

  await audit.filter.selectOption({ label: 'Request assigned' });
  // The request is named by its subject (r-1002 is 'Sore throat for a week' in the seed) and
  // links to it in Messages.
  await expect(page.getByTestId('audit-table').getByRole('link', { name: 'Sore throat for a week' }).first()).toHaveAttribute(
    'href',
    '/messages?request=r-1002',
  );
  const link = audit.rows.first().getByRole('link');
  await expect(link).toHaveAttribute('href', /^\/messages\?request=r-\d{4}$/);
  const href = (await link.getAttribute('href'))!;
  await expectNoAxeViolations(page);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${href.replace('?', '\\?')}$`));
  await expect(shell.heading).toHaveText('Messages');
});

// Issue 19 (b): the log is paged by the server (50 events a page, newest first) with NHS
// Previous and Next like the request list; the filter, the page's cursor and its number are in
// the address, so Back returns through them.
test('the audit log pages with Previous and Next, the page and the filter in the address (L1, issue 19)', async ({ page, request, baseURL }) => {
  const token = await apiToken(request, baseURL!, sarah);
  const headers = { Authorization: `Bearer ${token}` };
  // Sixty cover changes: more than a page of events of one action.
  for (let i = 0; i < 60; i += 1) {
    const covers = await request.put(`${baseURL}/api/covers`, { headers, data: { folder_ids: i % 2 === 0 ? ['g-cam-gps'] : [] } });
    expect(covers.status()).toBe(200);
  }
  const shell = new Shell(page);
  const audit = new AuditPage(page);
  await shell.gotoAs(sarah, '/audit');
  await audit.filter.selectOption({ label: 'Covers changed' });
  await expect(page).toHaveURL(/\/audit\?action=covers_changed$/);
  await expect(audit.rows).toHaveCount(50);
  const count = page.getByTestId('audit-count');
  await expect(count).toContainText('Events 1 to 50 of');
  const firstOfPage1 = await audit.rows.first().textContent();

  await page.getByTestId('page-next').click();
  await expect(page).toHaveURL(/action=covers_changed&cursor=[^&]+&page=2$/);
  await expect(count).toContainText('Events 51 to');
  await expect(page.getByTestId('page-where')).toHaveText(/^Page 2 of \d+$/);
  for (const action of await audit.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))) {
    expect(action).toBe('covers_changed');
  }
  await expectNoAxeViolations(page);

  await page.getByTestId('page-previous').click();
  await expect(page).toHaveURL(/\/audit\?action=covers_changed$/);
  await expect(audit.rows.first()).toHaveText(firstOfPage1!);
  await page.goBack();
  await expect(count).toContainText('Events 51 to');
  await expect(audit.filter).toHaveValue('covers_changed');
});
