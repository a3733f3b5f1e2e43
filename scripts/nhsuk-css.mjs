// Writes nhsuk-frontend's compiled CSS without its @font-face rules (issue 15, item 10): they
// point at Frutiger on an NHS host (assets.nhs.uk), so every page load asked another origin for
// four font files. Without them the design system's own font stack falls back to Arial, and no
// request leaves the server's origin. Trunk runs this as a pre_build hook (Trunk.toml) and
// bundles the generated file, which index.html links; it fails the build if the source CSS
// changed so much that a rule pointing elsewhere is left.
// Usage: node scripts/nhsuk-css.mjs   (writes target/generated/nhsuk-frontend.css)
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css');
const target = join(root, 'target/generated/nhsuk-frontend.css');

const css = readFileSync(source, 'utf8');
// Minified CSS: an @font-face block holds declarations only, so its body has no nested braces.
const stripped = css.replace(/@font-face\s*\{[^{}]*\}/g, '');
const external = stripped.match(/url\(\s*["']?(https?:)?\/\/[^)]*\)/g);
if (external) {
  console.error(`nhsuk-css: references to other origins remain: ${external.join(', ')}`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
// Rewrite only when the content changes, so trunk's watcher does not loop.
if (!existsSync(target) || readFileSync(target, 'utf8') !== stripped) {
  writeFileSync(target, stripped);
}
