// Lighthouse 12.2.3 (npm) on every screen of a running api-mock that serves the built client
// (issue 11, item 7): mobile preset (its default simulated Slow 4G and 4x CPU slowdown), each
// run a cold first visit in a new tab with the HTTP cache emptied, as a new user arrives.
// - The sign-in page: no session.
// - Every other screen signed in: this signs in through the API and has the tab put the session
//   in sessionStorage (where the client keeps it, app/src/state.rs) as each document starts,
//   before the client runs, so no earlier visit warms the cache.
// Prints one line per screen and writes target/measurements/lighthouse.json (read by
// tests/check-budgets.mjs, goals only).
// Usage: node tests/stress/lighthouse.mjs BASE_URL [USER_ID]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import puppeteer from 'puppeteer-core';

const base = process.argv[2];
const userId = process.argv[3] ?? 'u-james-wilson';
const SESSION_KEY = 'engage.collaboration.session';
const screens = [
  { label: 'sign-in', path: '/', signedIn: false },
  ...['messages', 'groups', 'colleagues', 'external', 'agreements', 'audit'].map((name) => ({
    label: name, path: `/${name}`, signedIn: true,
  })),
];
const only = process.env.LIGHTHOUSE_SCREENS?.split(',');
const flags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--headless=new',
  // The NHS web fonts live on a host this machine cannot reach: fail them at once rather than
  // wait for DNS (a real visit fetches them from assets.nhs.uk, not from this server).
  '--host-resolver-rules=MAP assets.nhs.uk ~NOTFOUND',
];

if (!base) {
  console.error('usage: node tests/stress/lighthouse.mjs BASE_URL [USER_ID]');
  process.exit(2);
}

const answer = await fetch(`${base}/api/session`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ user_id: userId }),
});
if (!answer.ok) throw new Error(`sign-in as ${userId} answered ${answer.status}`);
const session = JSON.stringify(await answer.json());

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: flags,
});
const runs = [];
const ms = (lhr, id) => Math.round(lhr.audits[id]?.numericValue ?? NaN);
try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
  for (const screen of screens.filter((s) => !only || only.includes(s.label))) {
    const page = await browser.newPage();
    if (screen.signedIn) {
      await page.evaluateOnNewDocument((origin, key, value) => {
        if (location.origin === origin) sessionStorage.setItem(key, value);
      }, new URL(base).origin, SESSION_KEY, session);
    }
    // Lighthouse's own storage reset runs before the navigation (disableStorageReset false):
    // it empties the HTTP cache and the origin's storage, so every run is a cold first visit.
    const run = await lighthouse(
      `${base}${screen.path}`,
      { port: chrome.port, logLevel: 'error', onlyCategories: ['performance', 'accessibility'] },
      { extends: 'lighthouse:default' },
      page,
    );
    const lhr = run.lhr;
    if (process.env.LIGHTHOUSE_KEEP) writeFileSync(join(process.env.LIGHTHOUSE_KEEP, `${screen.label}.json`), JSON.stringify(lhr));
    // Proof that the intended page was measured: signed in, or the persona picker.
    const accountShown = await page.evaluate(() => Boolean(document.querySelector('[data-testid="account-name"]')));
    const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
    const result = {
      label: screen.label,
      path: screen.path,
      signed_in: accountShown,
      as_intended: accountShown === screen.signedIn,
      form_factor: lhr.configSettings.formFactor,
      throttling: lhr.configSettings.throttlingMethod,
      performance: score('performance'),
      accessibility: score('accessibility'),
      first_contentful_paint_ms: ms(lhr, 'first-contentful-paint'),
      largest_contentful_paint_ms: ms(lhr, 'largest-contentful-paint'),
      interactive_ms: ms(lhr, 'interactive'),
      total_blocking_time_ms: ms(lhr, 'total-blocking-time'),
      speed_index_ms: ms(lhr, 'speed-index'),
      cumulative_layout_shift: Number((lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN).toFixed(3)),
      transferred_kib: Math.round((lhr.audits['total-byte-weight']?.numericValue ?? NaN) / 1024),
      // The main-thread work that blocked (what to act on). Lighthouse's LCP-element audit fails
      // in this Chromium ("RootCauses ... frame_sequence"), so the LCP element is not reported.
      long_tasks: (lhr.audits['long-tasks']?.details?.items ?? []).map((t) => `${t.url?.split('/').pop() ?? ''} ${Math.round(t.duration)} ms`),
    };
    runs.push(result);
    console.log(`${screen.label.padEnd(11)} performance ${String(result.performance).padStart(3)}  ` +
      `accessibility ${String(result.accessibility).padStart(3)}  FCP ${result.first_contentful_paint_ms} ms  ` +
      `LCP ${result.largest_contentful_paint_ms} ms  TTI ${result.interactive_ms} ms  TBT ${result.total_blocking_time_ms} ms  ` +
      `CLS ${result.cumulative_layout_shift}  ${result.transferred_kib} KiB  ` +
      `${result.as_intended ? (accountShown ? 'signed in' : 'signed out') : 'NOT THE INTENDED PAGE'}`);
    console.log(`            long tasks: ${result.long_tasks.join(', ') || 'none'}`);
    await page.close();
  }
  await browser.disconnect();
} finally {
  await chrome.kill();
}

const out = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'target', 'measurements', 'lighthouse.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({
  measured_at: new Date().toISOString(),
  lighthouse: '12.2.3',
  preset: 'mobile (simulated Slow 4G: 150 ms RTT, 1.6 Mbps; 4x CPU slowdown), cold cache',
  runs,
}, null, 2));
console.log(`written to ${out}`);
if (runs.some((r) => !r.as_intended)) process.exit(1);
