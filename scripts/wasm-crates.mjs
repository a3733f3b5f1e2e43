// Sums a `twiggy top -f csv` listing of the client's wasm by crate (scripts/wasm-crates).
// Each item is a function or data segment; a function belongs to the crate its demangled path
// starts with, and a trait method `<Type as Trait>::f` to the crate of Type (where the impl
// usually lives), or of Trait when Type is a standard or generic type. Data segments (strings,
// tables) cannot be split by crate and are listed as one line.
// Usage: node scripts/wasm-crates.mjs TOP.csv WASM_FILE
import { readFileSync, statSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const [csvFile, wasmFile] = process.argv.slice(2);
const lines = readFileSync(csvFile, 'utf8').trim().split('\n');
const header = lines.shift().split(',');
const nameAt = header.findIndex((h) => /name/i.test(h));
const sizeAt = header.findIndex((h) => /^shallow ?size$/i.test(h.replace(/_/g, ' ')) || /ShallowSize$/i.test(h));

/** Splits a CSV line, honouring quotes (names hold commas). */
function cells(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

const STD = new Set(['core', 'alloc', 'std']);
/** The first crate-like path segment of a type or path, skipping references and pointers. */
function leadingCrate(text) {
  const m = text.replace(/^(&|mut |\*const |\*mut |dyn |\[|\()+/, '').match(/^([a-z_][a-z0-9_]*)::/);
  return m ? m[1] : null;
}

function crateOf(name) {
  if (/^data\[\d+\]$/.test(name) || name.startsWith('data segment')) return 'data segments (strings, tables, all crates)';
  if (/names" subsection|custom section/.test(name)) return null; // names: not shipped
  if (/^(import|export) /.test(name) || name.startsWith('__wbg') || name.startsWith('__wbindgen')) return 'wasm-bindgen glue (imports, exports)';
  if (/^(table|type|elem|global|memory|code)\[/.test(name) || /section|"/.test(name)) return 'wasm sections';
  if (name.startsWith('<')) {
    // <Type as Trait>::method or <impl ...>
    const inner = name.slice(1);
    const as = inner.indexOf(' as ');
    const type = as >= 0 ? inner.slice(0, as) : inner;
    const trait = as >= 0 ? inner.slice(as + 4) : '';
    const fromType = leadingCrate(type);
    if (fromType && !STD.has(fromType)) return fromType;
    const fromTrait = leadingCrate(trait);
    if (fromTrait) return fromTrait;
    return fromType ?? 'unnamed';
  }
  return leadingCrate(name) ?? (/^(dlmalloc|memcpy|memset|memmove|memcmp|__)/.test(name) ? 'compiler_builtins / dlmalloc' : 'unnamed');
}

const byCrate = new Map();
const items = [];
let total = 0;
for (const line of lines) {
  const row = cells(line);
  const name = row[nameAt];
  const size = Number(row[sizeAt]);
  if (!Number.isFinite(size)) continue;
  let crate = crateOf(name);
  if (crate === null) continue;
  if (STD.has(crate)) crate = 'std (core, alloc)';
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
  items.push({ name, size, crate });
  total += size;
}

const raw = statSync(wasmFile).size;
const brotli = brotliCompressSync(readFileSync(wasmFile), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log(`wasm with names: ${(raw / 1024).toFixed(1)} KB raw, ${(brotli / 1024).toFixed(1)} KB brotli; without the name section (not shipped) the items sum to ${(total / 1024).toFixed(1)} KB`);
console.log('| crate | KB raw | share |');
console.log('|---|---:|---:|');
for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1])) {
  if (size / total < 0.003) continue;
  console.log(`| ${crate} | ${(size / 1024).toFixed(1)} | ${((100 * size) / total).toFixed(1)} % |`);
}
const top = Number(process.env.WASM_CRATES_TOP ?? 0);
if (top > 0) {
  console.log(`\nlargest ${top} items:`);
  for (const item of items.sort((a, b) => b.size - a.size).slice(0, top)) {
    console.log(`${String(item.size).padStart(7)}  ${item.crate.padEnd(18)} ${item.name.slice(0, 150)}`);
  }
}
