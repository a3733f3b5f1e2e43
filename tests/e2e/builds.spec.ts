import type { BrowserContext, Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { facilitatorToken, openContext, sampleStudyFile, signInAsFacilitator, startStudyServer } from './support/study';
import { navItems } from './pages/shell';

// Issue 20, item 7: the client is built twice (scripts/build-client), and index.html's loader
// (scripts/bundles.mjs) picks one before anything is fetched. Staff and demo users get the staff
// build, without the research screens (SPEC K1–K9); a study's tabs get the research build: the
// facilitator's page, a participant's link, and a participant's tab after a reload.

const facilitatorKey = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071';

/** The wasm files a page fetches, by name. */
function wasmRequests(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) names.push(path);
  });
  return names;
}

test.describe.configure({ timeout: 120_000 });

test('staff get the staff build only, and a study tab the research build only, even after a reload (issue 20)', async ({
  browser,
  request,
}) => {
  const contexts: BrowserContext[] = [];
  const server = await startStudyServer({ tmpPrefix: 'builds-e2e-', studyFile: sampleStudyFile, facilitatorKey });
  try {
    // A member of staff: the persona picker, then every screen, on one build.
    const staff = await openContext(browser, contexts, { baseURL: server.url });
    const staffWasm = wasmRequests(staff.page);
    await staff.page.goto('/');
    await staff.page.getByTestId('persona-u-james-wilson').click();
    for (const item of navItems) {
      await staff.page.getByRole('link', { name: item.label, exact: true }).click();
      await expect(staff.page.getByRole('heading', { level: 1 })).toHaveText(item.label);
    }
    await expect(staff.page.getByTestId('task-panel')).toHaveCount(0);
    expect(staffWasm, 'one wasm for the whole staff visit').toHaveLength(1);
    expect(staff.seen).toEqual([]);

    // A participant, from the link the facilitator gives them.
    const token = await facilitatorToken(request, server.url, facilitatorKey);
    const created = await request.post(`${server.url}/api/research/participants`, {
      headers: { Authorization: `Bearer ${token}` },
      data: { label: 'P-builds' },
    });
    expect(created.status()).toBe(201);
    const { link } = await created.json();
    const participant = await openContext(browser, contexts, { baseURL: server.url });
    const studyWasm = wasmRequests(participant.page);
    await participant.page.goto(link);
    await expect(participant.page).toHaveURL(/\/messages/);
    await expect(participant.page.getByTestId('task-panel')).toBeVisible();
    await participant.page.getByRole('link', { name: 'Groups', exact: true }).click();
    await expect(participant.page.getByRole('heading', { level: 1 })).toHaveText('Groups');
    // A reload of a screen staff also use: still the study's build, with its task panel.
    await participant.page.reload();
    await expect(participant.page.getByTestId('task-panel')).toBeVisible();
    await expect(participant.page.getByRole('heading', { level: 1 })).toHaveText('Groups');
    expect(studyWasm).toHaveLength(2);
    expect(new Set(studyWasm).size, 'the same build both times').toBe(1);
    expect(studyWasm[0], 'not the staff build').not.toBe(staffWasm[0]);
    expect(participant.seen).toEqual([]);

    // The facilitator's page: the research build.
    const facilitator = await openContext(browser, contexts, { baseURL: server.url });
    const facilitatorWasm = wasmRequests(facilitator.page);
    await signInAsFacilitator(facilitator.page, facilitatorKey);
    expect(facilitatorWasm).toEqual([studyWasm[0]]);

    // The staff build reaching a study address without a page load hands it to the loader.
    const handed = wasmRequests(staff.page);
    await staff.page.evaluate(() => {
      history.pushState(null, '', '/facilitator');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await expect(staff.page.getByLabel('Facilitator key')).toBeVisible();
    expect(handed).toEqual([studyWasm[0]]);
  } finally {
    for (const context of contexts) await context.close();
    await server.stop();
  }
});
