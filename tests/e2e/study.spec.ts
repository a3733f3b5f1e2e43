import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { openContext, sampleStudyFile, signInAsFacilitator, startStudyServer } from './support/study';
import { Shell } from './pages/shell';
import { TargetsPage } from './pages/sharing';

// Issue 22 item 6, a study from start to end (SPEC K2–K7): the facilitator loads nothing by
// hand (the sample study is given at start), creates three participants on the facilitator
// page and sends their links; each plays the whole study in a browser of their own, through the
// task panel and the app's screens:
// - Ada shares Reception with Riverside, restricted, in one change: a direct success;
// - Ben's other tab shares it unrestricted while his dialog is open, so his Share is refused
//   (409 already_shared); he then edits the share to restricted: an indirect success with one
//   refused call and two changes;
// - Cal gives up.
// Tasks 2 and 3 Ada and Ben finish without doing them (failures), Cal gives them up. Each
// answers the SEQ after every task and the ten SUS items at the end. The facilitator watches
// the rows change live, then reads the results and downloads the CSV: every figure on the
// page and in the CSV equals what this spec computes by hand from what the participants did
// (and, for times and screens, from the CSV's own columns).

const studyFile = sampleStudyFile;
const facilitatorKey = '5c2e8a1f7b3d49e6a0c4b8d2f6e1a3c5b7d9f0e2a4c6b8d1';
const group = 'g-cam-reception';
const partner = { query: 'Riverside Medical', ods: 'A81002' };

type Study = { tasks: { id: string; title: string; fewest_changes: number; fewest_screens: number }[] };
const study: Study = JSON.parse(readFileSync(studyFile, 'utf8'));

type Plan = {
  label: string;
  first: 'direct' | 'refused-first' | 'give-up';
  rest: 'finish' | 'give-up';
  seq: [number, number, number];
  sus: number[];
};
const plans: Plan[] = [
  { label: 'Ada', first: 'direct', rest: 'finish', seq: [6, 4, 5], sus: [4, 2, 4, 2, 4, 2, 4, 2, 4, 2] },
  { label: 'Ben', first: 'refused-first', rest: 'finish', seq: [4, 3, 5], sus: [5, 1, 5, 1, 5, 1, 5, 1, 5, 1] },
  { label: 'Cal', first: 'give-up', rest: 'give-up', seq: [2, 1, 1], sus: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] },
];
// What each plan's attempts must come to (K4).
const outcomes: Record<string, [string, string, string]> = {
  Ada: ['direct_success', 'failure', 'failure'],
  Ben: ['indirect_success', 'failure', 'failure'],
  Cal: ['gave_up', 'gave_up', 'gave_up'],
};

// ---- by hand -------------------------------------------------------------------------------

/** SUS (K5): 2.5 × (Σ(odd item − 1) + Σ(5 − even item)). */
function susScore(answers: number[]): number {
  return 2.5 * answers.reduce((sum, a, i) => sum + (i % 2 === 0 ? a - 1 : 5 - a), 0);
}

/** Student's t, 97.5th percentile, for the degrees of freedom a study of three can have. */
const t975: Record<number, number> = { 1: 12.706, 2: 4.303 };

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Adjusted Wald, 95%, as the page words it: `67% (21%–94%)`. */
function rateWords(x: number, n: number): string {
  const z2 = 1.96 ** 2;
  const p = (x + z2 / 2) / (n + z2);
  const half = 1.96 * Math.sqrt((p * (1 - p)) / (n + z2));
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return `${pct(x / n)} (${pct(Math.max(0, p - half))}–${pct(Math.min(1, p + half))})`;
}

/** Lostness (K7): √((N/S − 1)² + (R/N − 1)²). */
function lostness(distinct: number, visits: number, fewest: number): number {
  return Math.sqrt((distinct / visits - 1) ** 2 + (fewest / distinct - 1) ** 2);
}

/** The seconds in a time as the page words it ("4.2 s", "42 s", "1 min 05 s"). */
function secondsOf(words: string): number {
  const m = words.trim().match(/^(?:(\d+) min )?(\d+(?:\.\d)?) s$/);
  expect(m, `a time in words: "${words}"`).not.toBeNull();
  return Number(m![1] ?? 0) * 60 + Number(m![2]);
}

// ---- the people ----------------------------------------------------------------------------

const contexts: BrowserContext[] = [];

/** A browser context of its own that takes downloads, at a desktop width. */
async function open(browser: Browser, baseURL: string): Promise<{ page: Page; seen: string[] }> {
  return openContext(browser, contexts, { baseURL, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
}

/** The task panel of a participant's tab. */
class Panel {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('task-panel');
  }

  async state(state: string): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', state);
  }

  async start(taskIndex: number): Promise<void> {
    await this.state('not_started');
    await expect(this.root.getByRole('heading', { level: 2 }).first()).toContainText(`Task ${taskIndex + 1} of 3`);
    await this.page.getByTestId('task-start').click();
    await this.state('running');
  }

  async finish(): Promise<void> {
    await this.page.getByTestId('task-finish').click();
    await this.state('seq');
  }

  async giveUp(): Promise<void> {
    await this.page.getByTestId('task-give-up').click();
    await this.page.getByTestId('task-give-up-confirm').click();
    await this.state('seq');
  }

  async seq(value: number): Promise<void> {
    const label = value === 1 ? '1 Very difficult' : value === 7 ? '7 Very easy' : String(value);
    await this.page.getByTestId('seq-form').getByLabel(label, { exact: true }).check();
    await this.page.getByTestId('seq-continue').click();
  }

  async sus(answers: number[]): Promise<void> {
    await this.state('sus');
    const form = this.page.getByTestId('sus-form');
    for (const [k, value] of answers.entries()) {
      await expect(this.page.getByTestId('sus-progress')).toHaveText(`Question ${k + 1} of 10`);
      const label = value === 1 ? '1 Strongly disagree' : value === 5 ? '5 Strongly agree' : String(value);
      await form.getByLabel(label, { exact: true }).check();
      await this.page.getByTestId(k === 9 ? 'sus-submit' : 'sus-next').click();
    }
    await this.state('thanks');
    await expect(this.page.getByTestId('study-thank-you')).toBeVisible();
  }
}

/** The first task, done as the plan says, in the app's own screens. */
async function firstTask(page: Page, plan: Plan): Promise<void> {
  const panel = new Panel(page);
  await panel.start(0);
  if (plan.first === 'give-up') {
    await panel.giveUp();
    return;
  }
  await new Shell(page).navLink('Groups').click();
  await expect(page).toHaveURL(/\/groups$/);
  const groups = new TargetsPage(page);
  const share = await groups.openShare(group);
  await share.combobox.choose(partner.query, partner.ods);
  if (plan.first === 'direct') {
    await share.restrict.check();
    await share.submit.click();
    await expect(share.root).toBeHidden();
  } else {
    // While the dialog is open, Ben's other tab shares Reception with Riverside, unrestricted
    // (a call with the tab's own session, as that tab would make it). This tab's Share is then
    // refused (409 already_shared: the refused call), and the dialog says to edit the share.
    await share.restrict.check();
    const status = await page.evaluate(async (body) => {
      const session = JSON.parse(sessionStorage.getItem('engage.collaboration.session') ?? '{}');
      const r = await fetch('/api/shares', {
        method: 'POST',
        headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return r.status;
    }, { target_id: group, partner_ods_code: partner.ods, restricted: false });
    expect(status, 'the other tab shares').toBe(201);
    await share.submit.click();
    await expect(share.error).toContainText('already shared');
    await share.cancel.click();
    await expect(share.root).toBeHidden();
    await expect(groups.sharedWith(group, partner.ods)).toBeVisible();
    const edit = await groups.openEdit(group, partner.ods);
    await edit.restrict.check();
    await edit.save.click();
    await expect(edit.root).toBeHidden();
  }
  await expect(groups.sharedWith(group, partner.ods)).toContainText('Restricted');
  await panel.finish();
}

/** A participant's whole study, from the link to the thank-you page. */
async function play(browser: Browser, url: string, link: string, plan: Plan): Promise<string[]> {
  const { page, seen } = await open(browser, url);
  const panel = new Panel(page);
  await page.goto(link);
  await expect(page).toHaveURL(/\/messages/);
  await firstTask(page, plan);
  await panel.seq(plan.seq[0]);
  for (const k of [1, 2]) {
    await panel.start(k);
    if (plan.rest === 'finish') await panel.finish();
    else await panel.giveUp();
    await panel.seq(plan.seq[k]);
  }
  await panel.sus(plan.sus);
  // The client's batched log goes when the tab goes.
  await page.close({ runBeforeUnload: true });
  return seen;
}

test.describe.configure({ timeout: 240_000 });

test('a study from start to end: three participants, watched live, results and CSV equal to the hand count (K2-K7)', async ({
  browser,
}) => {
  expect(study.tasks.length).toBe(3);
  const server = await startStudyServer({ tmpPrefix: 'study-e2e-', studyFile, facilitatorKey });
  try {
    // The facilitator creates the three participants and keeps the page open.
    const fac = await open(browser, server.url);
    const page = fac.page;
    await signInAsFacilitator(page, facilitatorKey);
    const links: Record<string, string> = {};
    for (const plan of plans) {
      await page.getByLabel('Label', { exact: true }).fill(plan.label);
      await page.getByRole('button', { name: 'Create participant' }).click();
      await expect(page.getByTestId('participant-created')).toContainText(plan.label);
      links[plan.label] = new URL((await page.getByTestId('participant-link').textContent()) ?? '', server.url).pathname;
      await expect(page.getByTestId(`participant-${plan.label}`)).toBeVisible();
    }
    await expect(page.getByTestId('results-empty')).toBeVisible();

    for (const plan of plans) {
      const seen = await play(browser, server.url, links[plan.label], plan);
      expect(seen, `errors in ${plan.label}'s browser`).toEqual([]);
      // Watched live: the row shows the three outcomes without a reload.
      await expect(page.getByTestId(`participant-${plan.label}`).getByTestId('participant-outcomes')).toContainText(
        outcomes[plan.label][0] === 'gave_up' ? /gave up/i : /success/i,
      );
    }

    // The CSV, downloaded from the page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe(
      'participant,task_id,outcome,time_s,changes,refused_calls,problems_shown,screens_distinct,screens_visited,lostness,seq',
    );
    const rows = csv.slice(1).map((line) => {
      const [participant, task_id, outcome, time_s, changes, refused, problems, distinct, visits, lost, seq] = line.split(',');
      return { participant, task_id, outcome, time_s: Number(time_s), changes: Number(changes), refused: Number(refused), problems: Number(problems), distinct: Number(distinct), visits: Number(visits), lost, seq: Number(seq) };
    });
    expect(rows).toHaveLength(9);
    // The CSV's participant is the id: the results' participants table names each one.
    const ids: Record<string, string> = {};
    const sus = page.getByTestId('results-participants-sus').getByRole('row').filter({ has: page.getByTestId('results-participant-sus') });
    await expect(sus).toHaveCount(3);
    for (const row of await sus.all()) {
      const id = ((await row.getAttribute('data-testid')) ?? '').replace(/^results-participant-/, '');
      const text = (await row.getByRole('rowheader').textContent()) ?? '';
      const plan = plans.find((p) => text.includes(p.label));
      expect(plan, `a participant named in "${text}"`).toBeTruthy();
      ids[plan!.label] = id;
    }
    // The rows of each, in task order, match the plan.
    for (const plan of plans) {
      const mine = rows.filter((r) => r.participant === ids[plan.label]);
      const byTask = study.tasks.map((t) => mine.find((r) => r.task_id === t.id));
      expect(byTask.map((r) => r?.outcome), `${plan.label}'s outcomes`).toEqual(outcomes[plan.label]);
      expect(byTask.map((r) => r?.seq), `${plan.label}'s SEQ answers`).toEqual(plan.seq);
    }
    const first = (label: string) => rows.find((r) => r.participant === ids[label] && r.task_id === study.tasks[0].id)!;
    // Counting (API.md): Ada one change, no refusal; Ben two changes and the one refused call.
    expect([first('Ada').changes, first('Ada').refused]).toEqual([1, 0]);
    expect([first('Ben').changes, first('Ben').refused]).toEqual([2, 1]);
    expect(first('Cal').changes).toBe(0);
    for (const r of rows) {
      // Lostness as K7 defines it, from the row's own screens.
      const fewest = study.tasks.find((t) => t.id === r.task_id)!.fewest_screens;
      if (r.visits > 0) expect(Number(r.lost)).toBeCloseTo(lostness(r.distinct, r.visits, fewest), 2);
      else expect(r.lost).toBe('');
    }

    // The page's results by task equal the hand count.
    for (const [k, task] of study.tasks.entries()) {
      const mine = rows.filter((r) => r.task_id === task.id);
      const successes = mine.filter((r) => r.outcome.endsWith('_success'));
      const line = page.getByTestId(`results-task-${task.id}`);
      const count = (o: string) => String(mine.filter((r) => r.outcome === o).length);
      await expect(line.getByTestId('results-attempts')).toHaveText('3');
      await expect(line.getByTestId('results-direct')).toHaveText(count('direct_success'));
      await expect(line.getByTestId('results-indirect')).toHaveText(count('indirect_success'));
      await expect(line.getByTestId('results-failed')).toHaveText(count('failure'));
      await expect(line.getByTestId('results-gave-up')).toHaveText(count('gave_up'));
      await expect(line.getByTestId('results-timed-out')).toHaveText('0');
      await expect(line.getByTestId('results-completion')).toHaveText(rateWords(successes.length, 3));
      const errors = mine.reduce((s, r) => s + r.refused + r.problems, 0) / 3;
      await expect(line.getByTestId('results-errors')).toHaveText(errors.toFixed(2));
      await expect(line.getByTestId('results-seq')).toHaveText(mean(plans.map((p) => p.seq[k])).toFixed(1));
      const visited = mine.filter((r) => r.visits > 0);
      await expect(line.getByTestId('results-lostness')).toHaveText(
        visited.length === 0 ? '—' : mean(visited.map((r) => lostness(r.distinct, r.visits, task.fewest_screens))).toFixed(2),
      );
      if (successes.length === 0) {
        await expect(line.getByTestId('results-time')).toHaveText('—');
      } else {
        // Geometric mean of the successes' times with its t interval on logarithms (df = n − 1).
        const logs = successes.map((r) => Math.log(r.time_s));
        const half = t975[logs.length - 1] * sd(logs) / Math.sqrt(logs.length);
        const expected = [Math.exp(mean(logs)), Math.exp(mean(logs) - half), Math.exp(mean(logs) + half)];
        const words = (await line.getByTestId('results-time').textContent()) ?? '';
        const m = words.match(/^(.*) \((.*)–(.*)\)$/);
        expect(m, `a time with its interval: "${words}"`).not.toBeNull();
        // "42 s (30–58 s)" leaves the unit to the last figure.
        const shown = [m![1], m![2].endsWith('s') ? m![2] : `${m![2]} s`, m![3]].map(secondsOf);
        for (const [i, v] of shown.entries()) {
          const unit = expected[i] < 9.95 ? 0.1 : 1;
          expect(Math.abs(v - expected[i]), `time figure ${i} of ${words}`).toBeLessThanOrEqual(unit / 2 + 0.01);
        }
      }
    }
    // The study's SUS, with its t interval (df = 2), clamped to 0–100.
    const scores = plans.map((p) => susScore(p.sus));
    expect(scores).toEqual([75, 100, 50]);
    const half = (t975[2] * sd(scores)) / Math.sqrt(3);
    await expect(page.getByTestId('results-sus')).toHaveText(
      `Mean SUS score ${mean(scores).toFixed(1)} (95% interval ${Math.max(0, mean(scores) - half).toFixed(1)}–${Math.min(100, mean(scores) + half).toFixed(1)}), from 3 participants.`,
    );
    for (const [i, plan] of plans.entries()) {
      await expect(page.getByTestId(`results-participant-${ids[plan.label]}`).getByTestId('results-participant-sus')).toHaveText(
        scores[i].toFixed(1),
      );
    }
    // Each participant's log, downloaded from the page (JSON lines): Ben's holds his refused
    // call by its route template; and what a participant-minute of this study costs in bytes
    // (docs/PERFORMANCE.md; a robot's pace, so an upper bound for a person's).
    for (const plan of plans) {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`download-log-${ids[plan.label]}`).click()]);
      const text = readFileSync(await file.path(), 'utf8');
      const entries = text.trim().split('\n').map((l) => JSON.parse(l) as { at: string; kind: string; route?: string; status?: number });
      const refused = entries.filter((e) => e.kind === 'call' && e.status === 409 && e.route === '/api/shares');
      expect(refused.length, `${plan.label}'s refused shares in the log`).toBe(plan.first === 'refused-first' ? 1 : 0);
      const minutes = (Date.parse(entries[entries.length - 1].at) - Date.parse(entries[0].at)) / 60_000;
      const bytes = Buffer.byteLength(text);
      console.log(
        `log of ${plan.label}: ${entries.length} entries, ${bytes} bytes over ${(minutes * 60).toFixed(1)} s: ` +
          `${Math.round(bytes / minutes)} bytes per participant-minute`,
      );
    }
    // The charts: a bar per task; a dot per timed attempt.
    await expect(page.getByTestId('chart-completion').getByTestId('chart-bar')).toHaveCount(3);
    expect(fac.seen, "errors in the facilitator's browser").toEqual([]);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
    contexts.length = 0;
    await server.stop();
  }
});
