import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { Shell } from './pages/shell';
import { AgreementsPage } from './pages/sharing';

// Personas of the seed (api-mock/seed/demo.json).
const sarah = 'u-sarah-ahmed'; // Camelia Surgery A81001, admin; DSAs with U12345 (active) and RX401
const helen = 'u-helen-clarke'; // Riverside Medical Practice A81002, admin

test('an admin proposes an agreement to an organisation found with the combobox, and the partner accepts it, making it active (D1)', async ({
  page,
}) => {
  const shell = new Shell(page);
  const agreements = new AgreementsPage(page);
  await shell.gotoAs(sarah, '/agreements');
  await expect(agreements.row('U12345').getByTestId('agreement-status')).toHaveText('Active');
  await expect(agreements.row('RX401').getByTestId('their-answer')).toHaveText('Not answered yet');

  // Own organisation and partners that already have an agreement cannot be chosen (D1).
  await agreements.combobox.type('Camelia');
  await expect(agreements.combobox.option('A81001')).toHaveAttribute('aria-disabled', 'true');
  await agreements.combobox.input.fill('');
  await agreements.combobox.type('U12345');
  await expect(agreements.combobox.option('U12345')).toContainText('already exists');

  await agreements.combobox.choose('Riverside Medical', 'A81002');
  // The reference is required: the error summary says so and its link leads to the field
  // (issue 15, item 7; forms.spec.ts covers the pattern).
  await agreements.propose.click();
  const problems = page.getByTestId('propose-problems');
  await expect(problems).toBeFocused();
  await problems.getByRole('link', { name: "Enter the agreement's reference" }).click();
  await expect(agreements.reference).toBeFocused();
  await agreements.reference.fill('DSA-CR-2026-09 Riverside referrals');
  await agreements.propose.click();
  await expect(agreements.notice).toContainText('DSA-CR-2026-09 Riverside referrals proposed to Riverside Medical Practice');
  const ours = agreements.row('A81002');
  await expect(ours).toContainText('Proposed by us');
  await expect(ours.getByTestId('our-answer')).toHaveText('Accepted');
  await expect(ours.getByTestId('their-answer')).toHaveText('Not answered yet');
  await expect(ours.getByTestId('agreement-status')).toHaveText('Inactive');

  await shell.switchPersona(helen);
  await shell.navLink('Agreements').click();
  const theirs = agreements.row('A81001');
  await expect(theirs).toContainText('Proposed by them');
  await expect(theirs.getByTestId('our-answer')).toHaveText('Not answered yet');
  await expect(theirs.getByTestId('their-answer')).toHaveText('Accepted');
  await expectNoAxeViolations(page);
  await theirs.getByRole('button', { name: /^Accept/ }).click();
  await expect(theirs.getByTestId('agreement-status')).toHaveText('Active');
  await expect(theirs.getByTestId('our-answer')).toHaveText('Accepted');
  await expect(theirs.getByRole('button', { name: /^Accept/ })).toHaveCount(0);

  // Either side may change its answer at any time; refusing makes it inactive again (D1, D3).
  await theirs.getByRole('button', { name: /^Refuse/ }).click();
  await expect(theirs.getByTestId('agreement-status')).toHaveText('Inactive');
  await expect(theirs.getByTestId('our-answer')).toHaveText('Refused');

  await shell.switchPersona(sarah);
  await shell.navLink('Agreements').click();
  await expect(agreements.row('A81002').getByTestId('their-answer')).toHaveText('Refused');
});
