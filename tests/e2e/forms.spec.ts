import type { Locator, Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, apiToken } from './support/fixtures';
import { Shell } from './pages/shell';
import { AgreementsPage, TargetsPage } from './pages/sharing';

// Issue 15, item 7: every form uses the one NHS pattern. Nothing is greyed out until it is
// valid; pressing the button with something missing sends nothing and shows an error summary
// (focused, announced, a link to each field) and an inline error by each field, which goes
// away once the field is put right. On the old build these buttons were disabled, so the
// click could not show a summary and every test here failed at the first click.

// Personas and data of the seed (api-mock/seed/demo.json).
const sarah = 'u-sarah-ahmed'; // Camelia Surgery A81001, admin (SPEC R1)
const gpTriage = 'g-cam-gps'; // a Camelia group shared with nobody in the seed

const widths = [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
];

/** Counts the requests with `method` to the API path `path` from now on. */
function countCalls(page: Page, method: string, path: RegExp): { readonly count: number } {
  let count = 0;
  page.on('request', (r) => {
    if (r.method() === method && path.test(new URL(r.url()).pathname)) count += 1;
  });
  return {
    get count() {
      return count;
    },
  };
}

/**
 * After a refused submit: the summary is shown, focused and announced, lists `problems` in
 * order, and each field named in `fields` has its inline error, `aria-invalid` and an
 * `aria-describedby` that includes the error.
 */
async function expectRefused(page: Page, summary: Locator, problems: string[], fields: Locator[]) {
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary).toHaveAttribute('role', 'alert');
  await expect(summary.getByRole('heading')).toHaveText('There is a problem');
  await expect(summary.getByRole('link')).toHaveText(problems);
  for (const [i, field] of fields.entries()) {
    const id = await field.getAttribute('id');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAttribute('aria-describedby', new RegExp(`\\b${id}-error\\b`));
    await expect(page.locator(`#${id}-error`)).toHaveText(`Error: ${problems[i]}`);
  }
}

/** The field is back to normal: no inline error, not invalid. */
async function expectCleared(page: Page, field: Locator) {
  const id = await field.getAttribute('id');
  await expect(page.locator(`#${id}-error`)).toHaveCount(0);
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAttribute('aria-describedby', /hint/);
}

for (const viewport of widths) {
  test(`Share with no organisation chosen: error summary and inline error, nothing sent; choosing one clears it and Share works (S1, issue 15 item 7, ${viewport.width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    const shell = new Shell(page);
    const groups = new TargetsPage(page);
    await shell.gotoAs(sarah, '/groups');
    const posts = countCalls(page, 'POST', /^\/api\/shares$/);
    const dialog = await groups.openShare(gpTriage);
    const summary = dialog.root.getByTestId('share-problems');
    const input = dialog.combobox.input;

    await expect(dialog.submit).toBeEnabled();
    await dialog.submit.click();
    await expectRefused(page, summary, ['Choose an organisation to share with'], [input]);
    await expect(dialog.root).toBeVisible();
    await expectNoAxeViolations(page);

    // The summary's link takes the user to the field.
    await summary.getByRole('link').click();
    await expect(input).toBeFocused();
    // Enter in the empty text box submits again: refused again, summary focused again.
    await page.keyboard.press('Enter');
    await expect(summary).toBeFocused();
    expect(posts.count, 'no share sent while nothing is chosen').toBe(0);

    // Choosing the organisation puts it right: the errors go.
    await dialog.combobox.choose('Riverside Medical', 'A81002');
    await expect(summary).toHaveCount(0);
    await expectCleared(page, input);
    await dialog.submit.click();
    await expect(dialog.root).toBeHidden();
    await expect(groups.sharedWith(gpTriage, 'A81002').getByTestId('share-state')).toHaveText('Pending');
    expect(posts.count).toBe(1);
  });

  test(`Propose agreement with nothing given: one summary for both fields, a too long reference refused, nothing sent; then it proposes (D1, issue 15 item 7, ${viewport.width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    const shell = new Shell(page);
    const agreements = new AgreementsPage(page);
    await shell.gotoAs(sarah, '/agreements');
    await expect(agreements.row('U12345')).toBeVisible();
    const posts = countCalls(page, 'POST', /^\/api\/agreements$/);
    const form = page.getByTestId('propose-form');
    const summary = form.getByTestId('propose-problems');
    const input = agreements.combobox.input;

    await expect(agreements.propose).toBeEnabled();
    await agreements.propose.click();
    await expectRefused(
      page,
      summary,
      ['Choose the partner organisation', "Enter the agreement's reference"],
      [input, agreements.reference],
    );
    await expectNoAxeViolations(page);
    await summary.getByRole('link', { name: "Enter the agreement's reference" }).click();
    await expect(agreements.reference).toBeFocused();
    await summary.getByRole('link', { name: 'Choose the partner organisation' }).click();
    await expect(input).toBeFocused();

    // Choosing the partner clears its error only; the reference's stays until it is given.
    await agreements.combobox.choose('Riverside Medical', 'A81002');
    await expectCleared(page, input);
    await expect(summary.getByRole('link')).toHaveText(["Enter the agreement's reference"]);

    // D1: at most 1000 characters after trimming, as the server checks.
    await agreements.reference.fill('R'.repeat(1001));
    await agreements.propose.click();
    await expectRefused(page, summary, ['Reference must be 1000 characters or fewer'], [agreements.reference]);
    await expectNoAxeViolations(page);
    expect(posts.count, 'nothing proposed while the answers are wrong').toBe(0);

    await agreements.reference.fill('DSA-CR-2026-11 Riverside referrals');
    await expect(summary).toHaveCount(0);
    await expectCleared(page, agreements.reference);
    await agreements.propose.click();
    await expect(agreements.notice).toContainText('DSA-CR-2026-11 Riverside referrals proposed to Riverside Medical Practice');
    await expect(agreements.row('A81002').getByTestId('agreement-status')).toHaveText('Inactive');
    expect(posts.count).toBe(1);
  });

  test(`Save on an unchanged share says what would change it and sends nothing; changing Restrict View clears it and saves (S5, issue 15 item 7, ${viewport.width} px)`, async ({
    page,
    request,
    baseURL,
  }) => {
    const token = await apiToken(request, baseURL!, sarah);
    const created = await request.post(`${baseURL}/api/shares`, {
      headers: { Authorization: `Bearer ${token}` },
      data: { target_id: gpTriage, partner_ods_code: 'A81002', restricted: false },
    });
    expect(created.status()).toBe(201);

    await page.setViewportSize(viewport);
    const shell = new Shell(page);
    const groups = new TargetsPage(page);
    await shell.gotoAs(sarah, '/groups');
    const edits = countCalls(page, 'PATCH', /^\/api\/shares\//);
    const edit = await groups.openEdit(gpTriage, 'A81002');
    const summary = edit.root.getByTestId('edit-problems');

    await expect(edit.save).toBeEnabled();
    await edit.save.click();
    await expectRefused(page, summary, ['Select Restrict View to change the share, or choose Cancel'], [edit.restrict]);
    await expectNoAxeViolations(page);
    await summary.getByRole('link').click();
    await expect(edit.restrict).toBeFocused();
    expect(edits.count, 'no change sent while nothing changed').toBe(0);

    await edit.restrict.check();
    await expect(summary).toHaveCount(0);
    await expectCleared(page, edit.restrict);
    await edit.save.click();
    await expect(edit.root).toBeHidden();
    await expect(groups.sharedWith(gpTriage, 'A81002').getByTestId('share-restricted')).toHaveText('Restricted');
    expect(edits.count).toBe(1);
  });
}
