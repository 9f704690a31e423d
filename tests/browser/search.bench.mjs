// Search benchmark (BENCHMARKS.md, "Search"): index size, what the first query loads, time to
// first results from opening search.html?q=..., and per-keystroke query time, in headless
// Chromium, over HTTP and from file://.
//
//   python3 scripts/gen_corpus.py --n 2000 --seed 1 --out /tmp/c2000
//   wardbook build --no-pdf --as-of 2026-11-21 /tmp/c2000 --dest /tmp/c2000-site
//   node tests/browser/search.bench.mjs /tmp/c2000-site
//
// WARD_PC=1 measures on a ward-PC profile: the CPU slowed 4× (Chromium's throttling) and, over
// HTTP, a hospital network of 20 Mbit/s with 20 ms latency.
//
// The index build's time against the whole build is the Rust side:
//   cargo run --release --example search_bench -- /tmp/c2000
import fs from 'node:fs';
import path from 'node:path';
import { launch, open, fileUrl, serveDir } from './lib/harness.mjs';

const site = process.argv[2];
if (!site || !fs.existsSync(path.join(site, 'search.html'))) {
  console.error('usage: node search.bench.mjs SITE_DIR (a built site with search.html)');
  process.exit(2);
}
const FIRST = ['asthma', 'DKA', 'bronchiolitus', 'fits', 'diabetic ketoacidosis', 'salbutamol neb'];
const TYPED = ['bronchiolitis oxygen', 'salbutamol neb', 'diabetic ketoacidosis fluids', 'febrile seizure',
  'management of sepsis in infants', 'paracetamol overdose', 'anaphylaxis adrenaline'];
const REPEATS = 5;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

function sizes() {
  const dir = path.join(site, 'search');
  const files = fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).size);
  const js = fs.statSync(path.join(site, 'assets/search.js')).size;
  const terms = fs.statSync(path.join(dir, 'terms.js')).size;
  const total = files.reduce((a, b) => a + b, 0);
  return { files: files.length, index: total, js, terms, largest: Math.max(...files) };
}

/**
 * Opens search.html?q=query in a fresh context; returns ms from navigation to the first results on
 * screen (titles, section, network, review status), to their snippets, and what the page had
 * fetched by the first results: every file (page, CSS, scripts, index files), from the browser's
 * resource timing (response ended before the first results) and the files' sizes on disk.
 */
async function first(browser, base, query, mode) {
  const { page, context, errors } = await open(browser);
  await wardPc(page, mode);
  const url = (mode === 'http' ? base + 'search.html' : fileUrl(site, 'search.html')) + '?q=' + encodeURIComponent(query);
  await page.goto(url);
  await page.waitForFunction(() => window.wardbookSearch && window.wardbookSearch.timings.length > 0, null, { timeout: 20000 });
  const t = await page.evaluate(() => window.wardbookSearch.timings[0]);
  const fetched = await page.evaluate((at) => [location.href.split('?')[0]].concat(
    performance.getEntriesByType('resource').filter((e) => e.responseEnd <= at).map((e) => e.name)), t.at);
  await page.waitForTimeout(100);
  await context.close();
  if (errors.length) throw new Error(errors.join('\n'));
  const root = mode === 'http' ? base : fileUrl(site, '');
  const files = fetched.map((u) => decodeURIComponent(u.split('?')[0].slice(root.length)));
  const bytes = files.reduce((n, f) => n + fs.statSync(path.join(site, f)).size, 0);
  return { at: t.at, done: t.at - t.ms + t.done, bytes, files };
}

/** With WARD_PC set, slows the page's CPU 4× and (over HTTP) its network to a ward PC's. */
async function wardPc(page, mode) {
  if (!process.env.WARD_PC) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  if (mode === 'http') {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 20, downloadThroughput: 20e6 / 8, uploadThroughput: 20e6 / 8,
    });
  }
}

/** What a run fetched by its first results (Chromium keeps no resource timing for file:// loads). */
function fetched(run, mode) {
  if (mode !== 'http') return '';
  return `; fetched by first results ${(run.bytes / 1e3).toFixed(0)} KB in ${run.files.length} files (${run.files.join(' ')})`;
}

/** Types queries a key at a time; returns every keystroke's query time (ms). */
async function keystrokes(browser, base) {
  const { page, context } = await open(browser);
  await wardPc(page, 'http');
  await page.goto(base + 'search.html');
  await page.evaluate(() => window.wardbookSearch.ready());
  const times = [];
  for (const q of TYPED) {
    await page.fill('#q', '');
    await page.evaluate(() => { window.wardbookSearch.timings.length = 0; });
    await page.type('#q', q, { delay: 40 });
    await page.waitForTimeout(200);
    times.push(...(await page.evaluate(() => window.wardbookSearch.timings.map((t) => t.ms))));
  }
  await context.close();
  return times;
}

const s = sizes();
if (process.env.WARD_PC) console.log('ward-PC profile: CPU 4× slower; HTTP 20 Mbit/s, 20 ms latency');
console.log(`index: ${s.files} files, ${(s.index / 1e6).toFixed(2)} MB (terms.js ${(s.terms / 1e3).toFixed(0)} KB, largest ${(s.largest / 1e3).toFixed(0)} KB); search.js ${(s.js / 1e3).toFixed(0)} KB`);
const browser = await launch();
const srv = await serveDir(site);
try {
  const all = [];
  for (const mode of ['http', 'file']) {
    for (const q of FIRST) {
      const runs = [];
      for (let i = 0; i < REPEATS; i++) runs.push(await first(browser, srv.url, q, mode));
      all.push(...runs.map((r) => r.at));
      const b = runs[0];
      console.log(`${mode} "${q}": first results median ${median(runs.map((r) => r.at)).toFixed(0)} ms, worst ${Math.max(...runs.map((r) => r.at)).toFixed(0)} ms; with snippets median ${median(runs.map((r) => r.done)).toFixed(0)} ms; ${fetched(b, mode)}`);
    }
  }
  console.log(`first results, all ${all.length} runs: median ${median(all).toFixed(0)} ms, worst ${Math.max(...all).toFixed(0)} ms`);
  const ks = await keystrokes(browser, srv.url);
  console.log(`keystrokes: ${ks.length}, median ${median(ks).toFixed(1)} ms, p90 ${pct(ks, 0.9).toFixed(1)} ms, max ${Math.max(...ks).toFixed(1)} ms`);
} finally {
  await srv.close();
  await browser.close();
}
