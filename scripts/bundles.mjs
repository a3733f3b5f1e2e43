// Joins the client's two builds into one dist/ (scripts/build-client). trunk builds one wasm per
// page and cannot split one (trunk-rs/trunk#1022), so the client is built twice: without the
// `research` feature for staff and demo users (dist/), and with it for a study's tabs, the
// facilitator's and each participant's (STUDY_DIST). This copies the research build's js and
// wasm into dist/ (their names carry trunk's content hash, so they sit beside the staff build's)
// and replaces trunk's loader in dist/index.html (its module script, modulepreload and wasm
// preload) by one that picks the build before anything is fetched: the research build for
// `/facilitator`, `/p/CODE` and a tab whose stored session is a participant's; the staff build
// otherwise. It keeps trunk's integrity hashes.
//
// Usage: node scripts/bundles.mjs dist STUDY_DIST
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dist, studyDist] = process.argv.slice(2);
if (!dist || !studyDist) {
  console.error('usage: node scripts/bundles.mjs DIST STUDY_DIST');
  process.exit(2);
}

/** The one match of `pattern` in `html`, or a clear failure (trunk's output changed). */
function one(html, pattern, what, file) {
  const found = [...html.matchAll(pattern)];
  if (found.length !== 1) {
    console.error(`bundles: expected one ${what} in ${file}, found ${found.length}`);
    process.exit(1);
  }
  return found[0];
}

/** What trunk wrote into a build's index.html to start it. */
function build(dir) {
  const file = join(dir, 'index.html');
  const html = readFileSync(file, 'utf8');
  const script = one(
    html,
    /<script type=["']?module["']?>import init, \* as bindings from '([^']+)';\s*const wasm = await init\(\{ module_or_path: '([^']+)' \}\);[\s\S]*?<\/script>/g,
    'loader script',
    file,
  );
  const modulepreload = one(html, /<link [^>]*rel=["']?modulepreload["']?[^>]*>/g, 'modulepreload', file);
  const wasmPreload = one(html, /<link [^>]*type=["']?application\/wasm["']?[^>]*>/g, 'wasm preload', file);
  const integrity = (tag) => (/integrity=["']?([^"'\s>]+)/.exec(tag) ?? [])[1] ?? '';
  return {
    file,
    html,
    tags: [script[0], modulepreload[0], wasmPreload[0]],
    js: script[1],
    wasm: script[2],
    jsIntegrity: integrity(modulepreload[0]),
    wasmIntegrity: integrity(wasmPreload[0]),
  };
}

const staff = build(dist);
const study = build(studyDist);
for (const path of [study.js, study.wasm]) {
  copyFileSync(join(studyDist, path), join(dist, path));
}

const pick = (b) => ({ js: b.js, wasm: b.wasm, ji: b.jsIntegrity, wi: b.wasmIntegrity });
const builds = JSON.stringify({ staff: pick(staff), study: pick(study) });
// A classic script, run as the parser reaches it: it picks the build, then starts it once the
// screen's placeholder (index.html: its heading and lead, inert) is on screen, as the browser
// reports it (a largest-contentful-paint entry for it; at most a second; where the browser has
// no such entries or the address has no placeholder, the frame after the document is parsed), so
// the wasm does not compete with the stylesheets that first paint waits for, and the largest
// contentful paint is that frame. A tab opened in the background starts at once (it paints
// nothing until shown). The wasm is fetched with trunk's integrity hash and compiled while the
// js loads; the module is then instantiated and started in a task of its own, so compiling and
// the first render are two shorter tasks on the main thread, not one long one (Lighthouse's
// total blocking time).
const loader =
  `<script>(function(){var b=${builds},s=/^\\/(p\\/|facilitator\\/?$)/.test(location.pathname);` +
  `try{var t=JSON.parse(sessionStorage.getItem("engage.collaboration.session"));if(t&&t.participant)s=!0}catch(e){}` +
  `var c=s?b.study:b.staff,started=!1;window.engageBuild=c;` +
  `function start(){if(started)return;started=!0;` +
  `var l=document.createElement("link");l.rel="modulepreload";l.href=c.js;l.crossOrigin="anonymous";l.integrity=c.ji;document.head.appendChild(l);` +
  `var w=WebAssembly.compileStreaming(fetch(c.wasm,{integrity:c.wi,credentials:"same-origin"}));` +
  `import(c.js).then(function(m){window.wasmBindings=m;return w.then(function(mod){` +
  `return new Promise(function(r){setTimeout(function(){r(m.default({module_or_path:mod}))},0)})})})` +
  `.then(function(wasm){dispatchEvent(new CustomEvent("TrunkApplicationStarted",{detail:{wasm:wasm}}))})}` +
  `if(document.visibilityState==="hidden")start();` +
  `else{var later=function(){var p=window.PerformanceObserver,` +
  `lcp=window.engagePainted&&p&&p.supportedEntryTypes&&p.supportedEntryTypes.indexOf("largest-contentful-paint")>=0;` +
  `if(!lcp)return requestAnimationFrame(function(){setTimeout(start,0)});` +
  `new p(function(l){l.getEntries().forEach(function(e){if(e.element&&e.element.closest("[inert]"))start()})})` +
  `.observe({type:"largest-contentful-paint",buffered:true});setTimeout(start,1000)};` +
  `if(document.readyState==="loading")document.addEventListener("DOMContentLoaded",later);else later();` +
  `document.addEventListener("visibilitychange",start)}})()</script>`;

let html = staff.html;
const [script, ...preloads] = staff.tags;
html = html.replace(script, loader);
for (const tag of preloads) html = html.replace(tag, '');
writeFileSync(staff.file, html);
console.log(`bundles: staff ${staff.wasm}, research ${study.wasm} (chosen in ${staff.file})`);
