import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test, expect } from '@playwright/test';

// Issue 20, item 7: dist/ ships only the rules of nhsuk-frontend the client uses
// (scripts/nhsuk-css.mjs, PurgeCSS). The risk of that is a class the client uses whose rules
// were cut: a control drawn without its style. Every nhsuk-frontend class named anywhere in
// app/src or index.html that has a rule in the full stylesheet must have one in the CSS of the
// built client. A class built at run time would not be named whole in the sources: none is
// today, and one that is added must be named in SAFELIST of scripts/nhsuk-css.mjs and here.
const root = resolve(__dirname, '../..');
const dist = process.env.CLIENT_DIST ?? join(root, 'dist');
const runtimeClasses: string[] = [];

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return name.endsWith(ext) ? [path] : [];
  });
}

function hasClassRule(css: string, name: string): boolean {
  const escaped = name.replace(/[-_]/g, (c) => `\\${c}`);
  return new RegExp(`\\.${escaped}(?![a-zA-Z0-9_-])`).test(css);
}

test('every nhsuk-frontend class the client uses keeps its rules in the built CSS, and the rest is gone', () => {
  const sources = [...files(join(root, 'app/src'), '.rs'), join(root, 'index.html')].map((p) => readFileSync(p, 'utf8'));
  const named = new Set(runtimeClasses);
  for (const text of sources) for (const m of text.matchAll(/\bnhsuk-[a-z0-9_-]*[a-z0-9]/g)) named.add(m[0]);
  const full = readFileSync(join(root, 'node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css'), 'utf8');
  const built = readdirSync(dist).filter((f) => f.endsWith('.css')).map((f) => readFileSync(join(dist, f), 'utf8')).join('\n');

  const styled = [...named].filter((name) => hasClassRule(full, name));
  expect(styled.length, 'classes of nhsuk-frontend named in app/src').toBeGreaterThan(50);
  const missing = styled.filter((name) => !hasClassRule(built, name));
  expect(missing, 'classes the client uses whose rules are not in dist/*.css').toEqual([]);

  // What was cut: components the client never renders (the full stylesheet has them).
  for (const unused of ['nhsuk-card', 'nhsuk-hero', 'nhsuk-action-link', 'nhsuk-date-input']) {
    expect(hasClassRule(full, unused), `${unused} in nhsuk-frontend`).toBe(true);
    expect(hasClassRule(built, unused), `${unused} shipped`).toBe(false);
  }
});
