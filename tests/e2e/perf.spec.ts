import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, expect } from './support/fixtures';

// Measurements, not assertions of time: the figures go to target/measurements/browser.json,
// which tests/check-budgets.mjs compares with tests/budgets.json (issue 7), and into
// docs/PERFORMANCE.md by hand with the command that produced them.
const outFile = resolve(__dirname, '../../target/measurements/browser.json');

function record(key: string, value: unknown): void {
  mkdirSync(resolve(outFile, '..'), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(outFile, 'utf8'));
  } catch {
    // First measurement of the run.
  }
  all[key] = value;
  writeFileSync(outFile, JSON.stringify(all, null, 2));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

test('the shell renders and paints quickly from the local server (measured)', async ({ page }) => {
  const shellMarks: number[] = [];
  const contentfulPaints: number[] = [];
  for (let run = 0; run < 7; run++) {
    await page.goto('/');
    await expect(page.getByTestId('site-header')).toBeVisible();
    const timing = await page.evaluate(async () => {
      // Wait for the paint that follows the mount before reading paint entries.
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
      const mark = performance.getEntriesByName('app:shell-rendered')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { mark: mark?.startTime ?? NaN, fcp: fcp?.startTime ?? NaN };
    });
    expect(timing.mark).toBeGreaterThan(0);
    shellMarks.push(timing.mark);
    contentfulPaints.push(timing.fcp);
  }
  const result = {
    runs: shellMarks.length,
    shell_rendered_ms_median: Math.round(median(shellMarks)),
    first_contentful_paint_ms_median: Math.round(median(contentfulPaints)),
  };
  console.log(`first render: ${JSON.stringify(result)}`);
  record('first_render', result);
});
