// Compresses the built client once, at build time (issue 11, item 6): writes FILE.br (brotli,
// quality 11) and FILE.gz (gzip, level 9) beside every text or wasm file of DIR, which
// `api-mock --static DIR` (tower-http ServeDir, precompressed_br/precompressed_gzip) sends as
// the browser's Accept-Encoding allows. Already-compressed formats (woff2, png...) are left
// alone, as is a file whose compressed form would not be smaller. A variant newer than its file
// is kept, so a second run on an unchanged dist/ does nothing.
// Usage: node scripts/precompress.mjs DIR
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dist = process.argv[2];
if (!dist || !existsSync(join(dist, 'index.html'))) {
  console.error('usage: node scripts/precompress.mjs DIST_DIR (a built client with index.html)');
  process.exit(2);
}
const compressible = /\.(wasm|js|mjs|css|html|svg|json|txt|map|ico|webmanifest|xml)$/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

let written = 0;
let raw = 0;
let brotli = 0;
for (const path of [...files(dist)]) {
  if (/\.(br|gz)$/.test(path)) {
    // A variant whose file is gone (an earlier build's hashed name) must not be served.
    if (!existsSync(path.slice(0, -3))) rmSync(path);
    continue;
  }
  if (!compressible.test(path)) continue;
  const modified = statSync(path).mtimeMs;
  const bytes = readFileSync(path);
  const variants = [
    ['.br', () => brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [constants.BROTLI_PARAM_MODE]: path.endsWith('.wasm') ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    })],
    ['.gz', () => gzipSync(bytes, { level: 9 })],
  ];
  for (const [suffix, compress] of variants) {
    const target = path + suffix;
    if (existsSync(target) && statSync(target).mtimeMs >= modified) continue;
    const packed = compress();
    if (packed.length >= bytes.length) {
      rmSync(target, { force: true });
      continue;
    }
    writeFileSync(target, packed);
    written += 1;
    if (suffix === '.br') {
      raw += bytes.length;
      brotli += packed.length;
    }
  }
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(written === 0
  ? `precompress: ${dist} already compressed`
  : `precompress: ${written} variants written (${kb(raw)} raw -> ${kb(brotli)} brotli)`);
