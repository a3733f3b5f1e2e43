// Writes the part of nhsuk-frontend's compiled CSS the client uses (issue 20, item 7), which
// index.html links and trunk bundles (a pre_build hook in Trunk.toml):
// 1. without its @font-face rules (issue 15, item 10): they point at Frutiger on an NHS host, so
//    every page load asked another origin for four font files; the design system's own font
//    stack then falls back to Arial, and no request leaves the server's origin;
// 2. without the rules of components the client never renders: PurgeCSS (npm `purgecss`, pinned
//    in package.json) keeps a rule only when its classes, ids and element names appear in the
//    client's sources (app/src/**/*.rs, index.html), plus SAFELIST below for what the browser or
//    a library sets at run time;
// 3. then it checks what it wrote: every nhsuk-frontend class named in app/src or index.html
//    that has a rule in the full stylesheet must still have one (tests/e2e/css.spec.ts checks
//    the built dist/ the same way). The build fails otherwise.
// Usage: node scripts/nhsuk-css.mjs   (writes target/generated/nhsuk-frontend.css)
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PurgeCSS } from 'purgecss';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css');
const target = join(root, 'target/generated/nhsuk-frontend.css');

// What no source file names but the page has at run time. Each entry says who sets it.
const SAFELIST = {
  // leptos_router's <A> marks the current page (header navigation, pagination).
  // <details>, <dialog> and hidden listboxes are opened and hidden by the browser and the client.
  greedy: [/aria-current/, /\[open\]/, /\[hidden\]/],
  // Elements and states the browser gives every page.
  standard: ['html', 'body', ':root', 'nhsuk-u-visually-hidden', 'nhsuk-skip-link'],
};

/** Every file under `dir` whose name ends with `ext`. */
function files(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return name.endsWith(ext) ? [path] : [];
  });
}

/** The nhsuk-frontend class names the client's sources mention. */
function classesNamed(sources) {
  const names = new Set();
  for (const text of sources) {
    for (const match of text.matchAll(/\bnhsuk-[a-z0-9_-]*[a-z0-9]/g)) names.add(match[0]);
  }
  return names;
}

/** Whether `css` has a rule whose selector names the class `name`. */
function hasClassRule(css, name) {
  const escaped = name.replace(/[-_]/g, (c) => `\\${c}`);
  return new RegExp(`\\.${escaped}(?![a-zA-Z0-9_-])`).test(css);
}

const contentFiles = [...files(join(root, 'app/src'), '.rs'), join(root, 'index.html')];

const css = readFileSync(source, 'utf8');
// Minified CSS: an @font-face block holds declarations only, so its body has no nested braces.
const stripped = css.replace(/@font-face\s*\{[^{}]*\}/g, '');
const external = stripped.match(/url\(\s*["']?(https?:)?\/\/[^)]*\)/g);
if (external) {
  console.error(`nhsuk-css: references to other origins remain: ${external.join(', ')}`);
  process.exit(1);
}

const [purged] = await new PurgeCSS().purge({
  content: contentFiles,
  css: [{ raw: stripped }],
  safelist: SAFELIST,
  keyframes: true,
  fontFace: true,
});
const used = purged.css;

const sources = contentFiles.map((path) => readFileSync(path, 'utf8'));
const missing = [...classesNamed(sources)].filter((name) => hasClassRule(stripped, name) && !hasClassRule(used, name));
if (missing.length > 0) {
  console.error(`nhsuk-css: classes the client uses lost their rules: ${missing.join(', ')}`);
  process.exit(1);
}

mkdirSync(dirname(target), { recursive: true });
// Rewrite only when the content changes, so trunk's watcher does not loop.
if (!existsSync(target) || readFileSync(target, 'utf8') !== used) {
  writeFileSync(target, used);
}
console.log(`nhsuk-css: ${(stripped.length / 1024).toFixed(1)} KB -> ${(used.length / 1024).toFixed(1)} KB (rules the client uses)`);
