import { readFileSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { openContext, sampleStudyFile, startStudyServer, type Person, type StudyServerOptions } from './support/study';
import { Shell } from './pages/shell';
import { TargetsPage } from './pages/sharing';

// Issue 21, research studies part 1 (SPEC K1, K2, K8; API.md "Research studies"): a
// facilitator and two participants in three browser contexts of their own. The facilitator
// signs in with the key, creates the participants and follows them; each participant's link
// opens the client in a sandbox of their own, which nothing of the other's reaches.

// What the server is started with; adjust here (or through the environment) if the sample
// study moves or another study is wanted.
const studyFile = process.env.RESEARCH_STUDY_FILE ?? sampleStudyFile;
// At least 128 random bits (K8); a fixed one so the test can type it.
const facilitatorKey = process.env.RESEARCH_FACILITATOR_KEY ?? '3f9c1e7a5b2d48c09e6f1a2b3c4d5e6f7a8b9c0d1e2f3a4b';

// What participant A does in their sandbox, on the demo seed (api-mock/seed/demo.json): as
// Dr Sarah Ahmed, admin at Camelia Surgery (the first task's persona of sharing-basics.json),
// share Camelia's Reception group with Riverside Medical Practice (that first task).
const persona = { id: 'u-sarah-ahmed', name: 'Sarah Ahmed' };
const group = 'g-cam-reception';
const partner = { query: 'Riverside Medical', ods: 'A81002' };

type Study = { name: string; personas: string[]; tasks: { id: string; title: string; persona: string }[] };
const study: Study = JSON.parse(readFileSync(studyFile, 'utf8'));

/** How each test's api-mock of its own starts: the study loaded and the key above. */
const studyServer: StudyServerOptions = { tmpPrefix: 'research-e2e-', studyFile, facilitatorKey };

/** The contexts a test opened, closed before its server stops. */
const contexts: BrowserContext[] = [];

/** The facilitator page and its parts. */
class FacilitatorPage {
  readonly heading: Locator;
  readonly key: Locator;
  readonly label: Locator;
  readonly created: Locator;
  readonly link: Locator;
  readonly participantsHeading: Locator;
  readonly deleteDialog: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.key = page.getByLabel('Facilitator key');
    this.label = page.getByLabel('Label', { exact: true });
    this.created = page.getByTestId('participant-created');
    this.link = page.getByTestId('participant-link');
    this.participantsHeading = page.getByRole('heading', { name: 'Participants', level: 2 });
    this.deleteDialog = page.getByTestId('delete-participant-dialog');
  }

  async signIn(key: string): Promise<void> {
    await this.key.fill(key);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  row(label: string): Locator {
    return this.page.getByTestId(`participant-${label}`);
  }

  /** Creates a participant with the pointer and returns their link. */
  async create(label: string): Promise<string> {
    await this.label.fill(label);
    await this.page.getByRole('button', { name: 'Create participant' }).click();
    await expect(this.created).toContainText(label);
    await expect(this.row(label)).toBeVisible();
    return (await this.link.textContent()) ?? '';
  }
}

/** Opens a participant's link; the tab ends on Messages, signed in, with the link out of the history. */
async function openLink(person: Person, link: string): Promise<Shell> {
  const shell = new Shell(person.page);
  await person.page.goto(link);
  await expect(person.page).toHaveURL(/\/messages/);
  await person.page.getByTestId('account').waitFor();
  return shell;
}

/**
 * Makes sure the tab is `persona`, through the participant's switcher, which offers the study's
 * personas and no others (K1).
 */
async function bePersona(person: Person): Promise<void> {
  await person.page.getByTestId('switch-persona').click();
  const picker = person.page.getByTestId('page-participant-picker');
  await expect(picker).toBeVisible();
  await expect(picker.getByTestId(/^persona-/)).toHaveCount(study.personas.length);
  await picker.getByTestId(`persona-${persona.id}`).click();
  await expect(picker).toHaveCount(0);
  await expect(person.page.getByTestId('account-name')).toContainText(persona.name);
}

test.describe.configure({ timeout: 120_000 });

test('a facilitator runs two participants in sandboxes of their own: create, follow, reset, delete (K1, K2, K8)', async ({
  browser,
}) => {
  expect(study.personas, `${studyFile} lets participants be ${persona.id}`).toContain(persona.id);
  const server = await startStudyServer(studyServer);
  try {
    const facilitator = await openContext(browser, contexts, {
      baseURL: server.url,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const fac = new FacilitatorPage(facilitator.page);
    await facilitator.page.goto('/facilitator');
    await expect(fac.heading).toHaveText('Sign in as facilitator');
    // The key field hides what is typed, and a wrong key is refused in an error summary.
    await expect(fac.key).toHaveAttribute('type', 'password');
    await fac.signIn('not-the-key');
    await expect(facilitator.page.getByTestId('facilitator-sign-in-error')).toContainText('not right');
    await fac.signIn(facilitatorKey);
    await expect(fac.heading).toHaveText('Study facilitator');
    // K8: the key never goes into a URL.
    expect(facilitator.page.url()).not.toContain(facilitatorKey);
    await expect(facilitator.page.getByTestId('study-name')).toHaveText(study.name);
    for (const task of study.tasks) {
      await expect(facilitator.page.getByTestId(`study-task-${task.id}`)).toContainText(task.title);
    }
    await expect(facilitator.page.getByTestId('participants-empty')).toHaveText('No participants yet.');

    // Keyboard only through "Create participant": type, Enter, then Tab to "Copy link".
    await fac.label.focus();
    await facilitator.page.keyboard.type('P-A');
    await facilitator.page.keyboard.press('Enter');
    await expect(fac.created).toContainText('P-A');
    await expect(fac.created).toBeFocused();
    await facilitator.page.keyboard.press('Tab');
    const copy = facilitator.page.getByRole('button', { name: 'Copy link for P-A' });
    await expect(copy).toBeFocused();
    await facilitator.page.keyboard.press('Enter');
    await expect(facilitator.page.getByTestId('copy-status')).toHaveText('Link copied');
    const linkA = (await fac.link.textContent()) ?? '';
    expect(linkA).toMatch(new RegExp(`^${server.url}/p/.+`));
    expect(await facilitator.page.evaluate(() => navigator.clipboard.readText())).toBe(linkA);
    const linkB = await fac.create('P-B');
    expect(linkB).not.toBe(linkA);

    // Each participant opens their link: Messages, signed in, and no way to the facilitator.
    const a = await openContext(browser, contexts, { baseURL: server.url, permissions: [] });
    await openLink(a, linkA);
    await expect(a.page.getByRole('link', { name: /facilitator/i })).toHaveCount(0);
    const b = await openContext(browser, contexts, { baseURL: server.url, permissions: [] });
    await openLink(b, linkB);

    // A shares Camelia's Reception group with Riverside, restricted, in A's sandbox.
    await bePersona(a);
    await a.page.goto('/groups');
    const groupsA = new TargetsPage(a.page);
    const dialog = await groupsA.openShare(group);
    await dialog.combobox.choose(partner.query, partner.ods);
    await dialog.restrict.check();
    await dialog.submit.click();
    await expect(dialog.root).toBeHidden();
    await expect(groupsA.sharedWith(group, partner.ods)).toBeVisible();

    // B, as the same persona in B's sandbox, sees nothing of it (K1).
    await bePersona(b);
    await b.page.goto('/groups');
    const groupsB = new TargetsPage(b.page);
    await expect(groupsB.target(group)).toBeVisible();
    await expect(groupsB.sharedWith(group, partner.ods)).toHaveCount(0);

    // The facilitator follows both: a row each, on the first task.
    for (const label of ['P-A', 'P-B']) {
      await expect(fac.row(label).getByTestId('participant-task')).toContainText(study.tasks[0].title);
      await expect(fac.row(label).getByTestId('participant-state')).toHaveText(/Not started|Running|Done/);
    }

    // Reset A to the first task: the sandbox is as the task starts, without A's share.
    const rowA = fac.row('P-A');
    await rowA.getByText('More actions').click();
    await rowA.getByLabel('Reset P-A to the start of').selectOption(study.tasks[0].id);
    await rowA.getByRole('button', { name: 'Reset to task for P-A' }).click();
    await expect(rowA.getByTestId('participant-action-done')).toContainText('Reset to the start of');
    // The `reset` event reloads A's screens; a reload shows the same.
    await expect(groupsA.sharedWith(group, partner.ods)).toHaveCount(0);
    await a.page.reload();
    await expect(groupsA.target(group)).toBeVisible();
    await expect(groupsA.sharedWith(group, partner.ods)).toHaveCount(0);

    // A note, with its time.
    await rowA.getByLabel('Note about P-A').fill('Hesitated over Restrict View');
    await rowA.getByRole('button', { name: 'Add note for P-A' }).click();
    await expect(rowA.getByTestId('participant-notes')).toContainText('Hesitated over Restrict View');

    // Test mode for A's sandbox alone: A's banner says so after the next health check (a
    // reload), B's shows nothing.
    await rowA.getByLabel('Latency (milliseconds) for P-A').fill('200');
    await rowA.getByRole('button', { name: 'Save test mode for P-A' }).click();
    await expect(rowA.getByTestId('participant-knobs')).toHaveText('200 ms latency');
    await a.page.reload();
    await expect(a.page.getByTestId('knobs-banner')).toContainText('simulated latency 200');
    await b.page.reload();
    await expect(b.page.getByTestId('account')).toBeVisible();
    await expect(b.page.getByTestId('knobs-banner')).toHaveCount(0);

    // Delete B after a confirmation; focus goes to the list's heading.
    await fac.row('P-B').getByRole('button', { name: 'Delete for P-B' }).click();
    await expect(fac.deleteDialog).toBeVisible();
    await fac.deleteDialog.getByRole('button', { name: 'Delete P-B' }).click();
    await expect(fac.deleteDialog).toBeHidden();
    await expect(fac.row('P-B')).toHaveCount(0);
    await expect(fac.participantsHeading).toBeFocused();

    // B's next call is refused: the tab says the link is no longer valid, and so does the link.
    await b.page.reload();
    await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('This study link is not valid');
    await b.page.goto(linkB);
    await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('This study link is not valid');

    await expectNoAxeViolations(facilitator.page);
    await facilitator.page.setViewportSize({ width: 320, height: 800 });
    await expectNoAxeViolations(facilitator.page);
    const scrolls = await facilitator.page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
    expect(scrolls, 'the facilitator page scrolls sideways at 320 px').toBe(false);

    expect(facilitator.seen, 'errors in the facilitator browser').toEqual([]);
    expect(a.seen, 'errors in participant A\'s browser').toEqual([]);
    expect(b.seen, 'errors in participant B\'s browser').toEqual([]);
  } finally {
    // Open event streams would hold the server's graceful stop: the tabs close first.
    await Promise.all(contexts.map((c) => c.close()));
    await server.stop();
  }
});

test('a study file with a wrong entry is refused, naming it', async ({ page }) => {
  const server = await startStudyServer(studyServer);
  try {
    const fac = new FacilitatorPage(page);
    await page.goto(`${server.url}/facilitator`);
    await fac.signIn(facilitatorKey);
    await expect(fac.heading).toHaveText('Study facilitator');
    const bad = JSON.parse(readFileSync(studyFile, 'utf8'));
    bad.tasks[0].success = { share: { target_id: 'g-x', partner_ods_code: 'A81002' } };
    await page.getByLabel('Study file contents (JSON)').fill(JSON.stringify(bad));
    await page.getByRole('button', { name: 'Load study' }).click();
    // API.md: the 400 names the bad entry, and the page shows the server's sentence.
    const error = page.getByTestId('study-load-error');
    await expect(error).toContainText('tasks[0].success.share.target_id');
    await expect(error).toContainText('g-x');
    // The study loaded before is still the one shown.
    await expect(page.getByTestId('study-name')).toHaveText(study.name);
    await expectNoAxeViolations(page);
  } finally {
    // The facilitator's event stream would hold the server's graceful stop.
    await page.goto('about:blank');
    await server.stop();
  }
});

test('a link that is not valid says so, with what to do, and shows neither the app nor the persona picker', async ({ page }) => {
  const server = await startStudyServer(studyServer);
  try {
    await page.goto(`${server.url}/p/not-a-real-code`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This study link is not valid');
    await expect(page.getByText('Ask the facilitator of the study for a new link')).toBeVisible();
    await expect(page.getByTestId('page-sign-in')).toHaveCount(0);
    await expect(page.getByTestId('account')).toHaveCount(0);
    await expectNoAxeViolations(page);
  } finally {
    await server.stop();
  }
});
