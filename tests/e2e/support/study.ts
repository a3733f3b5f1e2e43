import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from '@playwright/test';
import type { APIRequestContext, Browser, BrowserContext, BrowserContextOptions, Page } from '@playwright/test';
import { startServer, type RunningServer } from './server';

// What the research specs (issues 21, 22) share: a server of their own with a study and a
// facilitator key, browser contexts of their own, and the facilitator's sign-in.

const root = resolve(__dirname, '../../..');

/** The sample study, api-mock/studies/sharing-basics.json. */
export const sampleStudyFile = resolve(root, 'api-mock/studies/sharing-basics.json');

/** How a spec starts its study server. */
export type StudyServerOptions = {
  /** The start of the name of the temporary folder that holds the key file. */
  tmpPrefix: string;
  studyFile: string;
  facilitatorKey: string;
  /** A study to load instead of `studyFile`, written beside the key file. */
  studyText?: string;
  /** More of the server's environment. */
  env?: Record<string, string>;
};

/** An api-mock of its own with the study loaded and the facilitator key given. */
export async function startStudyServer({
  tmpPrefix,
  studyFile,
  facilitatorKey,
  studyText,
  env = {},
}: StudyServerOptions): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  const keyFile = join(dir, 'facilitator-key');
  writeFileSync(keyFile, `${facilitatorKey}\n`);
  let file = studyFile;
  if (studyText) {
    file = join(dir, 'study.json');
    writeFileSync(file, studyText);
  }
  return startServer(['--study', file, '--facilitator-key-file', keyFile], undefined, env);
}

/** A page in a browser context of its own, and the errors it reported. */
export type Person = { page: Page; seen: string[] };

/**
 * A browser context of its own (its own sessionStorage, so its own session), added to
 * `contexts` (which the spec closes before its server stops), with a page whose errors and
 * console errors (but failed resource loads) are collected in `seen`.
 */
export async function openContext(
  browser: Browser,
  contexts: BrowserContext[],
  options: BrowserContextOptions,
): Promise<Person> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  const seen: string[] = [];
  page.on('pageerror', (error) => seen.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) seen.push(msg.text());
  });
  return { page, seen };
}

/** Signs the page in on the facilitator page (relative to its baseURL) with the key. */
export async function signInAsFacilitator(page: Page, facilitatorKey: string): Promise<void> {
  await page.goto('/facilitator');
  await page.getByLabel('Facilitator key').fill(facilitatorKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Study facilitator');
}

/** The facilitator's token, through the API. */
export async function facilitatorToken(request: APIRequestContext, url: string, facilitatorKey: string): Promise<string> {
  const session = await request.post(`${url}/api/research/session`, { data: { key: facilitatorKey } });
  expect(session.status()).toBe(200);
  return (await session.json()).token;
}
