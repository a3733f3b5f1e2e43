// Prints raw, gzip and brotli sizes of the built client's wasm, js and css files.
// Usage: node tests/bundle-size.mjs DIST_DIR [--json]
// The total "client" excludes the nhsuk-frontend stylesheet, which is a third-party asset
// cached separately; it is listed on its own line. The research build's js and wasm (issue 20:
// only a study's tabs load them; index.html's loader names them) are listed, marked, and left
// out of the total, which is what staff and demo users download.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const asJson = process.argv.includes('--json');

const files = readdirSync(dist)
  .filter((name) => /\.(wasm|js|css)$/.test(name) && statSync(join(dist, name)).isFile())
  .sort();

const index = readFileSync(join(dist, 'index.html'), 'utf8');
const research = new Set(
  (/"study":\{"js":"\/([^"]+)","wasm":"\/([^"]+)"/.exec(index) ?? []).slice(1),
);

const rows = files.map((name) => {
  const bytes = readFileSync(join(dist, name));
  return {
    name,
    thirdParty: name.startsWith('nhsuk-frontend'),
    research: research.has(name),
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length,
  };
});

const sum = (list, key) => list.reduce((total, row) => total + row[key], 0);
const own = rows.filter((row) => !row.thirdParty && !row.research);
const total = { name: 'client total (wasm + js + own css)', raw: sum(own, 'raw'), gzip: sum(own, 'gzip'), brotli: sum(own, 'brotli') };

if (asJson) {
  console.log(JSON.stringify({ files: rows, total }, null, 2));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
  console.log(`${'file'.padEnd(48)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
  for (const row of [...rows, total]) {
    const label = row.name.replace(/-[0-9a-f]{8,16}(?=[._])/, '') + (row.research ? ' (research build)' : '');
    console.log(`${label.padEnd(48)}${kb(row.raw)}${kb(row.gzip)}${kb(row.brotli)}`);
  }
}
