import { test, expect } from './support/fixtures';
import { startServer, type RunningServer } from './support/server';
import { accented, hyphenated, writeUnicodeNamesSeed } from './seeds/unicode-names';
import { Shell } from './pages/shell';
import { MessagesPage } from './pages/messages';
import { TargetsPage } from './pages/sharing';

// Names are searched, filtered and highlighted the way the server's directory search splits
// and folds them (domain::text): punctuation separates words, case folds in every language.
let server: RunningServer;

test.beforeAll(async ({}, testInfo) => {
  server = await startServer(['--seed', writeUnicodeNamesSeed(testInfo.outputPath('unicode-seed.json'))]);
});

test.afterAll(async () => {
  await server?.stop();
});

test('the organisation combobox marks "Smith" in "Hartley-Smith" for the query "smith", as the search matched it (S1)', async ({ page }) => {
  const shell = new Shell(page);
  const groups = new TargetsPage(page);
  await shell.gotoAs('u-sarah-ahmed', `${server.url}/groups`);
  const dialog = await groups.openShare('g-cam-gps');
  await dialog.combobox.type('smith');
  const option = dialog.combobox.option(hyphenated.ods_code);
  await expect(option).toContainText(hyphenated.name);
  await expect(option.locator('mark')).toHaveText(['Smith']);

  // Two words of the query mark the start of both words of the name.
  await dialog.combobox.input.fill('');
  await dialog.combobox.type('hart smi');
  await expect(dialog.combobox.option(hyphenated.ods_code).locator('mark')).toHaveText(['Hart', 'Smi']);
});

test('the assign dialog filter folds case beyond ASCII: "zoë" and "ZOË" find "ZOË Wellbeing Team", "zoe" does not (A2)', async ({ page }) => {
  const shell = new Shell(page);
  const messages = new MessagesPage(page);
  await shell.gotoAs('u-sarah-ahmed', `${server.url}/messages`);
  await expect(messages.list).toHaveAttribute('aria-busy', 'false');
  const first = (await messages.rows().first().getAttribute('data-testid'))!.replace('request-row-', '');
  await messages.openRequest(first);
  const dialog = await messages.openAssign();
  await expect(dialog.target(accented.id)).toBeVisible();
  await expect(dialog.target('g-cam-gps')).toBeVisible();

  await dialog.filter.fill('zoë');
  await expect(dialog.target(accented.id)).toBeVisible();
  await expect(dialog.target('g-cam-gps')).toHaveCount(0);
  await dialog.filter.fill('ZOË');
  await expect(dialog.target(accented.id)).toBeVisible();
  await dialog.filter.fill('zoe');
  await expect(dialog.target(accented.id)).toHaveCount(0);
});
