import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, BrowserContext, Locator, Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { facilitatorToken, openContext, sampleStudyFile, startStudyServer, type StudyServerOptions } from './support/study';
import { Shell } from './pages/shell';
import { TargetsPage } from './pages/sharing';

// Issue 22, the participant's task panel (SPEC K3–K6; API.md "Research studies"): the panel
// above every page of a participant's session, with Start, "I have finished", "Give up", the
// Single Ease Question after each task, the SUS at the end and a thank-you; and the screens and
// dialogs the client logs. A plain persona session shows none of it.

const studyFile = process.env.RESEARCH_STUDY_FILE ?? sampleStudyFile;
const facilitatorKey = process.env.RESEARCH_FACILITATOR_KEY ?? '3f9c1e7a5b2d48c09e6f1a2b3c4d5e6f7a8b9c0d1e2f3a4b';
// Screenshots of each state at both widths, when asked for (TASK_SHOTS=/tmp/task-shots).
const shots = process.env.TASK_SHOTS;

type Study = { name: string; tasks: { id: string; title: string; time_limit_s: number }[] };
const study: Study = JSON.parse(readFileSync(studyFile, 'utf8'));

// The first task of sharing-basics.json, done as research.spec.ts does it.
const group = 'g-cam-reception';
const partner = { query: 'Riverside Medical', ods: 'A81002' };

/** How each test's api-mock of its own starts: the study loaded (or a `studyText`) and the key above. */
const studyServer: StudyServerOptions = { tmpPrefix: 'task-panel-e2e-', studyFile, facilitatorKey };

/** The facilitator's token and a new participant, through the API. */
async function createParticipant(
  request: APIRequestContext,
  url: string,
  label: string,
): Promise<{ token: string; id: string; link: string }> {
  const token = await facilitatorToken(request, url, facilitatorKey);
  const created = await request.post(`${url}/api/research/participants`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { label },
  });
  expect(created.status()).toBe(201);
  const { id, link } = await created.json();
  return { token, id, link };
}

/** The participant's log as the facilitator reads it. */
async function readLog(request: APIRequestContext, url: string, token: string, id: string): Promise<Record<string, unknown>[]> {
  const response = await request.get(`${url}/api/research/participants/${id}/log`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status()).toBe(200);
  return (await response.text())
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

const contexts: BrowserContext[] = [];

/** The task panel and its parts. */
class TaskPanel {
  readonly root: Locator;
  readonly heading: Locator;
  readonly status: Locator;
  readonly toggle: Locator;
  readonly seq: Locator;
  readonly sus: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('task-panel');
    this.heading = this.root.getByRole('heading', { level: 2 }).first();
    this.status = page.getByTestId('task-panel-status');
    this.toggle = page.getByTestId('task-panel-toggle');
    this.seq = page.getByTestId('seq-form');
    this.sus = page.getByTestId('sus-form');
  }

  async expectState(state: string): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', state);
  }

  /** Answers the SEQ by the label of a point ("1 Very difficult", "4", "7 Very easy"). */
  async answerSeq(label: string): Promise<void> {
    await this.seq.getByLabel(label, { exact: true }).check();
    await this.seq.getByTestId('seq-continue').click();
  }
}

/** Axe at 1280 px and at 320 px, no sideways scrolling at 320 px, and screenshots if asked. */
async function checkBothWidths(page: Page, name: string): Promise<void> {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoAxeViolations(page);
    if (width === 320) {
      const scrolls = await page.evaluate(
        () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
      );
      expect(scrolls, `the page scrolls sideways at 320 px (${name})`).toBe(false);
    }
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, `${name}-${width}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe.configure({ timeout: 180_000 });

test('a participant does the study in the task panel: start, finish, give up, SEQ, SUS, thank-you (K3-K6)', async ({
  browser,
  request,
}) => {
  const server = await startStudyServer(studyServer);
  try {
    const { token, id, link } = await createParticipant(request, server.url, 'P-panel');
    const person = await openContext(browser, contexts, { baseURL: server.url, viewport: { width: 1280, height: 900 } });
    const page = person.page;
    const panel = new TaskPanel(page);
    await page.goto(link);
    await expect(page).toHaveURL(/\/messages/);
    await page.getByTestId('account').waitFor();

    // Task 1, not started: its number, title and instruction, and Start.
    await panel.expectState('not_started');
    await expect(panel.heading).toHaveText(`Task 1 of ${study.tasks.length}: ${study.tasks[0].title}`);
    await expect(page.getByTestId('task-instruction')).toContainText('Share the Reception group');
    await checkBothWidths(page, '1-not-started');

    // The details collapse and expand with the keyboard; the heading stays.
    await panel.toggle.focus();
    await expect(panel.toggle).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Enter');
    await expect(panel.toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('task-start')).toBeHidden();
    await expect(panel.heading).toBeVisible();
    await checkBothWidths(page, '2-collapsed');
    await page.keyboard.press('Space');
    await expect(panel.toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('task-start')).toBeVisible();

    await page.getByTestId('task-start').click();
    await panel.expectState('running');
    await expect(panel.status).toHaveText('Task started');
    await expect(panel.heading).toBeFocused();
    await expect(page.getByTestId('task-time')).toContainText(/Time left [45]:\d\d/);
    // The countdown ticks.
    const first = await page.getByTestId('task-time').textContent();
    await expect(page.getByTestId('task-time')).not.toHaveText(first ?? '', { timeout: 3_000 });
    await checkBothWidths(page, '3-running');

    // The task: share Reception with Riverside, restricted, through the pages the panel sits on.
    await new Shell(page).navLink('Groups').click();
    await expect(page).toHaveURL(/\/groups$/);
    const groups = new TargetsPage(page);
    const dialog = await groups.openShare(group);
    await dialog.combobox.choose(partner.query, partner.ods);
    await dialog.restrict.check();
    await dialog.submit.click();
    await expect(dialog.root).toBeHidden();
    await expect(groups.sharedWith(group, partner.ods)).toBeVisible();
    await expect(panel.root).toBeVisible();

    // "I have finished": the SEQ, whose Continue explains what is missing and sends nothing.
    await page.getByTestId('task-finish').click();
    await panel.expectState('seq');
    await expect(panel.heading).toBeFocused();
    await expect(panel.seq.getByRole('group', { name: 'Overall, how difficult or easy was the task to complete?' })).toBeVisible();
    await expect(panel.seq.getByRole('radio')).toHaveCount(7);
    await panel.seq.getByTestId('seq-continue').click();
    const seqProblems = page.getByTestId('seq-problems');
    await expect(seqProblems).toBeFocused();
    await expect(seqProblems).toContainText('Select how difficult or easy the task was');
    await checkBothWidths(page, '4-seq-error');
    // K4: the outcome is not the participant's to see.
    await expect(panel.root).not.toContainText(/success|failure/i);
    await panel.answerSeq('6');

    // Task 2: Give up asks first; Enter on the question gives up nothing.
    await panel.expectState('not_started');
    await expect(panel.heading).toHaveText(`Task 2 of ${study.tasks.length}: ${study.tasks[1].title}`);
    await expect(panel.status).toHaveText(`Task 2 of ${study.tasks.length}`);
    await page.getByTestId('task-start').click();
    await panel.expectState('running');
    await page.getByTestId('task-give-up').click();
    const confirm = page.getByRole('group', { name: 'Are you sure you want to give up this task?' });
    await expect(confirm).toBeFocused();
    await page.keyboard.press('Enter');
    await panel.expectState('running');
    await checkBothWidths(page, '5-give-up-confirm');
    await page.getByTestId('task-give-up-cancel').click();
    await expect(confirm).toHaveCount(0);
    await expect(page.getByTestId('task-give-up')).toBeFocused();
    await page.getByTestId('task-give-up').click();
    await page.getByTestId('task-give-up-confirm').click();
    await panel.expectState('seq');
    await panel.answerSeq('1 Very difficult');

    // Task 3: finished at once.
    await panel.expectState('not_started');
    await expect(panel.heading).toContainText(`Task 3 of ${study.tasks.length}`);
    await page.getByTestId('task-start').click();
    await panel.expectState('running');
    await page.getByTestId('task-finish').click();
    await panel.expectState('seq');
    await panel.answerSeq('7 Very easy');

    // The SUS: one statement per screen, by keyboard alone.
    await panel.expectState('sus');
    await expect(panel.heading).toHaveText('Questions about the system');
    await expect(page.getByTestId('sus-progress')).toHaveText('Question 1 of 10');
    await page.getByTestId('sus-next').click();
    await expect(page.getByTestId('sus-problems')).toContainText('Select how much you agree with the statement');
    await checkBothWidths(page, '6-sus-error');
    const answers = [4, 2, 5, 1, 4, 2, 5, 1, 3, 3];
    for (const [k, value] of answers.entries()) {
      await expect(page.getByTestId('sus-progress')).toHaveText(`Question ${k + 1} of 10`);
      await expect(panel.sus.getByRole('radio')).toHaveCount(5);
      // Into the radios, choose the first, then arrow to the value wanted.
      const firstRadio = panel.sus.getByLabel('1 Strongly disagree', { exact: true });
      await firstRadio.focus();
      await page.keyboard.press('Space');
      for (let n = 1; n < value; n += 1) await page.keyboard.press('ArrowRight');
      const label = value === 1 ? '1 Strongly disagree' : value === 5 ? '5 Strongly agree' : String(value);
      await expect(panel.sus.getByLabel(label, { exact: true })).toBeChecked();
      // Then Tab on to Next (past Back) and Enter.
      const forward = page.getByTestId(k === 9 ? 'sus-submit' : 'sus-next');
      for (let tabs = 0; tabs < 3; tabs += 1) {
        await page.keyboard.press('Tab');
        if (await forward.evaluate((b) => b === document.activeElement)) break;
      }
      await expect(forward).toBeFocused();
      if (k === 9) await checkBothWidths(page, '7-sus-last');
      await page.keyboard.press('Enter');
    }

    // Thank you.
    await panel.expectState('thanks');
    await expect(page.getByTestId('study-thank-you')).toBeVisible();
    await expect(panel.heading).toHaveText('Thank you, you have finished the study');
    await expect(panel.toggle).toHaveCount(0);
    await checkBothWidths(page, '8-thank-you');

    // K6: the log has the screens by route template and the share dialog opened and closed,
    // and no typed text.
    let log: Record<string, unknown>[] = [];
    await expect
      .poll(async () => {
        log = await readLog(request, server.url, token, id);
        return log.filter((e) => e.kind === 'dialog_close').length;
      }, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const screens = log.filter((e) => e.kind === 'screen').map((e) => e.name);
    expect(screens).toContain('/messages');
    expect(screens).toContain('/groups');
    for (const name of screens) expect(name).toMatch(/^\/[a-z:/-]*$/);
    expect(log.filter((e) => e.kind === 'dialog_open').map((e) => e.name)).toContain('share');
    expect(log.filter((e) => e.kind === 'dialog_close').map((e) => e.name)).toContain('share');
    const text = JSON.stringify(log);
    expect(text).not.toContain(partner.query);
    expect(text).not.toContain(link.split('/p/')[1]);
    // The SUS was sent as chosen.
    const sus = log.find((e) => e.kind === 'answer' && (e as { question?: string }).question === 'sus');
    expect((sus as { values?: number[] } | undefined)?.values).toEqual(answers);

    expect(person.seen, "errors in the participant's browser").toEqual([]);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
    contexts.length = 0;
    await server.stop();
  }
});

test('when the countdown reaches 0 the panel says time is up and asks the SEQ (K3)', async ({ browser, request }) => {
  // The sample study with a first task of 10 s, the shortest a study may give.
  const short = JSON.parse(readFileSync(studyFile, 'utf8'));
  short.tasks[0].time_limit_s = 10;
  const server = await startStudyServer({ ...studyServer, studyText: JSON.stringify(short) });
  try {
    const { link } = await createParticipant(request, server.url, 'P-late');
    const { page, seen } = await openContext(browser, contexts, { baseURL: server.url, viewport: { width: 1280, height: 900 } });
    const panel = new TaskPanel(page);
    await page.goto(link);
    await panel.expectState('not_started');
    await page.getByTestId('task-start').click();
    await panel.expectState('running');
    await expect(page.getByTestId('task-time')).toContainText(/Time left 0:(10|0\d)/);
    // A reload keeps the countdown where it was (the server's elapsed time).
    await page.waitForTimeout(3_000);
    await page.reload();
    await panel.expectState('running');
    await expect(page.getByTestId('task-time')).toContainText(/Time left 0:0[0-7]/);
    await expect(page.getByTestId('task-time-up')).toHaveText('Time is up.', { timeout: 15_000 });
    await panel.expectState('seq');
    await expect(panel.status).toContainText('Time is up');
    await expect(page.getByTestId('task-finish')).toHaveCount(0);
    expect(seen).toEqual([]);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
    contexts.length = 0;
    await server.stop();
  }
});

test('a persona session shows no task panel and logs nothing', async ({ page }) => {
  const logCalls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/task')) logCalls.push(r.url());
  });
  const shell = new Shell(page);
  await shell.gotoAs('u-sarah-ahmed', '/groups');
  await expect(shell.heading).toBeVisible();
  await expect(page.getByTestId('task-panel')).toHaveCount(0);
  await page.getByTestId('switch-persona').click();
  await shell.signInAs('u-james-wilson');
  await expect(page.getByTestId('task-panel')).toHaveCount(0);
  expect(logCalls).toEqual([]);
});
