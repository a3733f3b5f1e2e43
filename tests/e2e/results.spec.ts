import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './support/fixtures';
import { facilitatorToken, openContext, sampleStudyFile, signInAsFacilitator, startStudyServer, type Person } from './support/study';

// Issue 22, items 4 and 5 (SPEC K7; API.md "Research studies"): the facilitator's results.
// Two participants work through the sample study by the API with their own tokens; the
// facilitator page shows the results by task with the counts and the adjusted-Wald intervals
// computed here by hand, the mean SUS, each attempt, two charts with accessible names, and
// downloads the CSV, the JSON and a participant's log, by pointer and by keyboard.

const studyFile = process.env.RESEARCH_STUDY_FILE ?? sampleStudyFile;
const facilitatorKey = process.env.RESEARCH_FACILITATOR_KEY ?? '7d0b5e3c9a1f46e8b2c4d6f8a0e1c3b5d7f9a2c4e6b8d0f1';
// Where screenshots of the results go when asked for (RESULTS_SHOTS=/tmp/results-shots).
const shots = process.env.RESULTS_SHOTS;

type Study = { name: string; tasks: { id: string; title: string }[] };
const study: Study = JSON.parse(readFileSync(studyFile, 'utf8'));

const CSV_HEADER =
  'participant,task_id,outcome,time_s,changes,refused_calls,problems_shown,screens_distinct,screens_visited,lostness,seq';

/** Adjusted Wald, 95% (z = 1.96): the rate and its interval as whole percentages, as shown. */
function rateWords(successes: number, attempts: number): string {
  const z2 = 1.96 * 1.96;
  const nAdj = attempts + z2;
  const pAdj = (successes + z2 / 2) / nAdj;
  const margin = 1.96 * Math.sqrt((pAdj * (1 - pAdj)) / nAdj);
  const pct = (p: number) => `${Math.round(p * 100)}%`;
  return `${pct(successes / attempts)} (${pct(Math.max(0, pAdj - margin))}–${pct(Math.min(1, pAdj + margin))})`;
}

/** A caller of the API with a bearer token. */
class Caller {
  constructor(
    readonly request: APIRequestContext,
    readonly url: string,
    readonly token: string,
  ) {}

  async post(path: string, data?: unknown, status = 200): Promise<any> {
    const response = await this.request.post(`${this.url}${path}`, {
      headers: { Authorization: `Bearer ${this.token}` },
      data,
    });
    expect(response.status(), `${path}: ${await response.text()}`).toBe(status);
    return response.status() === 204 ? null : response.json();
  }
}

type Participant = { id: string; label: string; caller: Caller };

async function createParticipant(request: APIRequestContext, fac: Caller, label: string): Promise<Participant> {
  const created = await fac.post('/api/research/participants', { label }, 201);
  const session = await request.post(`${fac.url}/api/session`, { data: { participant_code: created.code } });
  expect(session.status()).toBe(200);
  const token = (await session.json()).token;
  return { id: created.id, label, caller: new Caller(request, fac.url, token) };
}

/** The current task, given up, and its SEQ answered. */
async function giveUp(p: Participant, seq: number): Promise<void> {
  await p.caller.post('/api/task/start');
  const after = await p.caller.post('/api/task/give-up');
  expect(after.ask).toBe('seq');
  await p.caller.post('/api/task/answers', { seq });
}

const contexts: BrowserContext[] = [];

/** The facilitator page, signed in, in a browser context of its own that takes downloads. */
async function openFacilitator(browser: Browser, baseURL: string): Promise<Person> {
  const { page, seen } = await openContext(browser, contexts, { baseURL, acceptDownloads: true });
  await signInAsFacilitator(page, facilitatorKey);
  return { page, seen };
}

/** Waits for the download a press starts and returns its name and text. */
async function downloaded(page: Page, press: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), press()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

test.describe.configure({ timeout: 120_000 });

test('the facilitator sees the results by task and participant, live, as tables and charts, and downloads them (K7)', async ({
  browser,
  request,
}) => {
  expect(study.tasks.length, 'the sample study has three tasks').toBe(3);
  const server = await startStudyServer({ tmpPrefix: 'results-e2e-', studyFile, facilitatorKey });
  try {
    const fac = new Caller(request, server.url, await facilitatorToken(request, server.url, facilitatorKey));
    const a = await createParticipant(request, fac, 'P-A');
    const b = await createParticipant(request, fac, 'P-B');

    // Before any attempt, the section says what will come.
    const { page, seen } = await openFacilitator(browser, server.url);
    const results = page.getByTestId('results');
    await expect(results.getByRole('heading', { name: 'Results', level: 2 })).toBeVisible();
    await expect(page.getByTestId('results-empty')).toHaveText(
      'No attempts yet: results appear when a participant finishes a task.',
    );
    await expect(page.getByTestId('results-sus')).toHaveText('No SUS answers yet.');

    // A: the first task done directly (the share with Riverside, restricted, one change),
    // SEQ 6; the second given up, SEQ 3.
    await a.caller.post('/api/task/start');
    await a.caller.post(
      '/api/shares',
      { target_id: 'g-cam-reception', partner_ods_code: 'A81002', restricted: true },
      201,
    );
    expect((await a.caller.post('/api/task/finish')).ask).toBe('seq');
    await a.caller.post('/api/task/answers', { seq: 6 });
    await giveUp(a, 3);
    // B: gives up every task (SEQ 2, 1, 1), then answers the SUS: 2.5 × (5 × 3 + 5 × 3) = 75.
    await giveUp(b, 2);
    await giveUp(b, 1);
    await giveUp(b, 1);
    await b.caller.post('/api/task/answers', { sus: [4, 2, 4, 2, 4, 2, 4, 2, 4, 2] });

    // The page follows without a reload (the progress stream), at most every two seconds.
    const table = page.getByTestId('results-tasks-table');
    await expect(table).toBeVisible();
    const [t1, t2, t3] = study.tasks;
    const expected = [
      { task: t1, attempts: 2, direct: 1, gaveUp: 1, successes: 1, seq: '4.0' },
      { task: t2, attempts: 2, direct: 0, gaveUp: 2, successes: 0, seq: '2.0' },
      { task: t3, attempts: 1, direct: 0, gaveUp: 1, successes: 0, seq: '1.0' },
    ];
    for (const e of expected) {
      const row = page.getByTestId(`results-task-${e.task.id}`);
      await expect(row.getByRole('rowheader')).toContainText(e.task.title);
      await expect(row.getByTestId('results-attempts')).toHaveText(String(e.attempts));
      await expect(row.getByTestId('results-direct')).toHaveText(String(e.direct));
      await expect(row.getByTestId('results-indirect')).toHaveText('0');
      await expect(row.getByTestId('results-failed')).toHaveText('0');
      await expect(row.getByTestId('results-gave-up')).toHaveText(String(e.gaveUp));
      await expect(row.getByTestId('results-timed-out')).toHaveText('0');
      await expect(row.getByTestId('results-completion')).toHaveText(rateWords(e.successes, e.attempts));
      await expect(row.getByTestId('results-seq')).toHaveText(e.seq);
      await expect(row.getByTestId('results-errors')).toHaveText('0.00');
      // No screen was logged (the API was driven directly): no lostness.
      await expect(row.getByTestId('results-lostness')).toHaveText('—');
    }
    // One success: a time without an interval; no success: a dash.
    await expect(page.getByTestId(`results-task-${t1.id}`).getByTestId('results-time')).toHaveText(/^\d+(\.\d)? s$/);
    await expect(page.getByTestId(`results-task-${t2.id}`).getByTestId('results-time')).toHaveText('—');
    await expect(page.getByTestId('results-sus')).toHaveText(
      'Mean SUS score 75.0, from 1 participant (an interval needs two or more).',
    );

    // Every attempt, with its outcome in words; each participant's SUS score.
    const attempts = page.getByTestId('results-participants-table').getByTestId('results-attempt');
    await expect(attempts).toHaveCount(5);
    await expect(attempts.nth(0)).toContainText('P-A');
    await expect(attempts.nth(0).getByTestId('results-outcome')).toHaveText('Direct success');
    await expect(attempts.nth(1).getByTestId('results-outcome')).toHaveText('Gave up');
    await expect(page.getByTestId(`results-participant-${a.id}`).getByTestId('results-participant-sus')).toHaveText('—');
    await expect(page.getByTestId(`results-participant-${b.id}`).getByTestId('results-participant-sus')).toHaveText('75.0');

    // The charts: images named by their headings and described by a sentence naming their
    // table; a bar and a whisker per task with attempts, a mark per attempt, the one success
    // a circle, the rest squares, with a legend.
    const completion = page.getByRole('img', { name: 'Completion rate by task' });
    await expect(completion).toHaveAttribute('aria-describedby', 'chart-completion-description');
    await expect(page.locator('#chart-completion-description')).toContainText('The table above shows the same figures');
    await expect(completion.getByTestId('chart-bar')).toHaveCount(3);
    await expect(completion.getByTestId('chart-whisker')).toHaveCount(3);
    await expect(completion).toContainText('100%');
    const time = page.getByRole('img', { name: 'Time on task by attempt' });
    await expect(time.getByTestId('chart-dot')).toHaveCount(5);
    await expect(time.locator('circle[data-testid="chart-dot"]')).toHaveCount(1);
    await expect(time.locator('rect[data-testid="chart-dot"]')).toHaveCount(4);
    await expect(time.getByTestId('chart-legend')).toContainText('Success (direct or indirect)');
    // The success bar is the only one with a width; each dot lies within the chart.
    const widths = await completion.getByTestId('chart-bar').evaluateAll((bars) =>
      bars.map((b) => Number(b.getAttribute('width'))),
    );
    expect(widths[0]).toBeGreaterThan(0);
    expect(widths.slice(1)).toEqual([0, 0]);

    // The CSV, by pointer: API.md's header and a row per attempt.
    const csv = await downloaded(page, () => page.getByTestId('download-csv').click());
    expect(csv.name).toBe('results-sharing-basics.csv');
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines).toHaveLength(1 + 5);
    expect(lines.filter((l) => l.startsWith(`${a.id},`))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith(`${b.id},`))).toHaveLength(3);
    await expect(page.getByTestId('download-csv')).toHaveText('Download CSV');

    // By keyboard: Tab from "Refresh results" reaches each download button, and Enter
    // starts the download.
    await page.getByTestId('results-refresh').focus();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('download-csv')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('download-json')).toBeFocused();
    const json = await downloaded(page, () => page.keyboard.press('Enter'));
    expect(json.name).toBe('results-sharing-basics.json');
    const body = JSON.parse(json.text);
    expect(body.results.tasks).toHaveLength(3);
    expect(Object.keys(body.logs).sort()).toEqual([a.id, b.id].sort());
    await expect(page.getByTestId('download-json')).toBeFocused();
    await page.keyboard.press('Tab');
    const logButton = page.getByTestId(`download-log-${a.id}`);
    await expect(logButton).toBeFocused();
    await expect(logButton).toHaveAccessibleName('Download log of P-A');
    const log = await downloaded(page, () => page.keyboard.press('Enter'));
    expect(log.name).toBe('log-sharing-basics-p-a.jsonl');
    const entries = log.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.map((e) => e.kind)).toContain('task_success_reached');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId(`download-log-${b.id}`)).toBeFocused();

    // "Refresh results" reads them again, and they stay.
    await page.getByTestId('results-refresh').click();
    await expect(page.getByTestId(`results-task-${t1.id}`).getByTestId('results-attempts')).toHaveText('2');

    if (shots) {
      mkdirSync(shots, { recursive: true });
      await results.screenshot({ path: join(shots, 'results-1280.png') });
    }
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoAxeViolations(page);
    const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    expect(scrolls, 'the facilitator page scrolls sideways at 320 px').toBe(false);
    if (shots) {
      await results.screenshot({ path: join(shots, 'results-320.png') });
      await completion.screenshot({ path: join(shots, 'chart-completion-320.png') });
      await time.screenshot({ path: join(shots, 'chart-time-320.png') });
    }

    expect(seen, 'errors in the facilitator browser').toEqual([]);
  } finally {
    // The facilitator's event stream would hold the server's graceful stop.
    await Promise.all(contexts.map((c) => c.close()));
    await server.stop();
  }
});
