import { test as base, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { startServer, type RunningServer } from './server';

/** WCAG 2.2 A and AA, the bar for every screen. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Runs axe on the page as it is now and fails with the list of violations, if any. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}

type WorkerFixtures = { server: RunningServer };

/** Signs in through the API as the given persona and returns the bearer token. */
export async function apiToken(request: APIRequestContext, baseUrl: string, userId?: string): Promise<string> {
  let id = userId;
  if (!id) {
    const personas = await (await request.get(`${baseUrl}/api/personas`)).json();
    id = personas[0].user_id;
  }
  const response = await request.post(`${baseUrl}/api/session`, { data: { user_id: id } });
  expect(response.status()).toBe(200);
  return (await response.json()).token;
}

/** Returns the server to its seed data. */
export async function resetServer(request: APIRequestContext, baseUrl: string): Promise<void> {
  const token = await apiToken(request, baseUrl);
  const response = await request.post(`${baseUrl}/api/demo/reset`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status()).toBe(204);
}

/**
 * Each worker gets its own api-mock on a free port, stopped when the worker ends, and every
 * page's baseURL points at it. Page errors (a panic in the wasm, a failed start) fail the test.
 */
export const test = base.extend<{ pageErrors: string[]; freshState: void }, WorkerFixtures>({
  server: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url),
  // Tests change the shared demo network, so each starts from the seed (POST /api/demo/reset).
  freshState: [
    async ({ server, request }, use) => {
      await resetServer(request, server.url);
      await use();
    },
    { auto: true },
  ],
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) {
          errors.push(msg.text());
        }
      });
      // Nothing may leave the origin of the page's server (issue 15, item 10): not a font, not
      // an image. A test navigates only to its servers (some start one of their own); every
      // other request is compared with the origin of the document that made it.
      const elsewhere: string[] = [];
      page.on('request', (request) => {
        if (request.isNavigationRequest()) return;
        const url = new URL(request.url());
        const from = new URL(request.frame().url());
        if (/^https?:$/.test(url.protocol) && url.origin !== from.origin) {
          elsewhere.push(`${request.url()} (from ${from.origin})`);
        }
      });
      await use(errors);
      expect(errors, 'errors in the browser console').toEqual([]);
      expect(elsewhere, 'requests to another origin').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
