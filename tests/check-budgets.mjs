// Compares measured figures with tests/budgets.json (issue 7) and fails when one is over its
// gate. Goals are reported but never fail. A budget marked `"enforced": false` (with `why`) is
// reported as OVER with its reason and does not fail: an open, known gap, never a silent one.
// Usage: node tests/check-budgets.mjs [DIST_DIR]   (default dist; run scripts/build-client first)
// Bundle sizes come from `node tests/bundle-size.mjs DIST_DIR --json`; browser figures from
// target/measurements/browser.json when the browser suite has written them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const budgets = JSON.parse(readFileSync(join(here, 'budgets.json'), 'utf8'));

const failures = [];
const lines = [];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function check(label, value, budget, format) {
  const over = value > budget.gate;
  const goal = value <= budget.goal ? 'goal met' : `goal ${format(budget.goal)} not met`;
  // A gate the team has knowingly not met yet says so on every run instead of passing quietly.
  const waived = over && budget.enforced === false;
  const verdict = waived ? 'OVER' : over ? 'FAIL' : 'ok  ';
  const note = waived ? ` — NOT ENFORCED: ${budget.why}` : '';
  lines.push(`${verdict} ${label}: ${format(value)} (gate ${format(budget.gate)}, ${goal})${note}`);
  if (over && !waived) failures.push(label);
}

if (!existsSync(join(dist, 'index.html'))) {
  console.error(`check-budgets: no built client in ${dist}; run scripts/build-client first`);
  process.exit(1);
}
const sizes = JSON.parse(
  execFileSync(process.execPath, [join(here, 'bundle-size.mjs'), dist, '--json'], { encoding: 'utf8' }),
);
if (!sizes.files.some((f) => f.name.endsWith('.wasm'))) {
  console.error(`check-budgets: no .wasm in ${dist}: not a built client`);
  process.exit(1);
}
check('client total, brotli', sizes.total.brotli, budgets.bundle.client_total_brotli, kb);

const measured = join(root, 'target', 'measurements', 'browser.json');
const browser = existsSync(measured) ? JSON.parse(readFileSync(measured, 'utf8')) : {};
for (const [name, budget] of Object.entries(budgets.browser)) {
  const value = budget.path.split('.').reduce((node, key) => node?.[key], browser);
  if (typeof value === 'number') {
    check(name, value, budget, (ms) => `${ms} ms`);
  } else {
    lines.push(`skip ${name}: not measured (${budget.path} absent from ${measured})`);
  }
}

console.log(lines.join('\n'));
if (failures.length > 0) {
  console.error(`check-budgets: over budget: ${failures.join(', ')}`);
  process.exit(1);
}
