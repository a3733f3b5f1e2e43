// Lighthouse (npm lighthouse@12.2.3) on pages of a running api-mock that serves the built client
// (issue 7). The Messages and Groups pages show content only to a signed-in persona, kept in the
// tab's sessionStorage; so this signs in through the API, stores the session in the tab the way
// the client does, and lets Lighthouse load each page in that same tab without resetting storage.
// Usage: node tests/stress/lighthouse.mjs BASE_URL [USER_ID]   (prints one line per page and form factor)
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import puppeteer from 'puppeteer-core';

const base = process.argv[2];
const userId = process.argv[3] ?? 'u-james-wilson';
const pages = ['/messages', '/groups'];
const SESSION_KEY = 'engage.collaboration.session';
const flags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--headless=new',
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
const session = await answer.json();

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: flags,
});
const results = [];
try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.evaluate((key, value) => sessionStorage.setItem(key, value), SESSION_KEY, JSON.stringify(session));
  for (const formFactor of ['desktop', 'mobile']) {
    for (const path of pages) {
      const settings = formFactor === 'desktop'
        ? { formFactor, screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false },
            throttling: { rttMs: 40, throughputKbps: 10240, cpuSlowdownMultiplier: 1, requestLatencyMs: 0, downloadThroughputKbps: 0, uploadThroughputKbps: 0 } }
        : {};
      const run = await lighthouse(
        `${base}${path}`,
        { port: chrome.port, logLevel: 'error', onlyCategories: ['performance', 'accessibility'], disableStorageReset: true },
        { extends: 'lighthouse:default', settings },
        page,
      );
      const lhr = run.lhr;
      // Proof that the signed-in page was measured, not the persona picker.
      const signedIn = await page.evaluate(() => Boolean(document.querySelector('[data-testid="account-name"]')));
      const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
      const metric = (id) => lhr.audits[id]?.displayValue ?? '-';
      results.push({ path, formFactor, signedIn, performance: score('performance'), accessibility: score('accessibility'),
        fcp: metric('first-contentful-paint'), lcp: metric('largest-contentful-paint'), tbt: metric('total-blocking-time'), cls: metric('cumulative-layout-shift') });
      const r = results.at(-1);
      console.log(`${path.padEnd(10)} ${formFactor.padEnd(8)} performance ${r.performance}  accessibility ${r.accessibility}  ` +
        `FCP ${r.fcp}  LCP ${r.lcp}  TBT ${r.tbt}  CLS ${r.cls}  ${signedIn ? 'signed in' : 'NOT SIGNED IN (persona picker measured)'}`);
    }
  }
  await browser.disconnect();
} finally {
  await chrome.kill();
}
if (results.some((r) => !r.signedIn)) process.exit(1);
