// Shared harness for the browser tests: builds a book with the wardbook binary, serves a folder
// over HTTP on loopback, and launches Debian's Chromium headless through playwright-core
// (never a downloaded browser). Pages opened through `open()` record console errors, page errors
// and every request, so tests can assert that nothing leaves the site.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

/** The wardbook binary: WARDBOOK_BIN, else target/debug/wardbook (built by `cargo build`). */
export function wardbookBin() {
  const target = process.env.CARGO_TARGET_DIR || path.join(repoRoot, 'target');
  const bin = process.env.WARDBOOK_BIN || path.join(target, 'debug', 'wardbook');
  if (!fs.existsSync(bin)) throw new Error(`wardbook binary not found at ${bin}: run cargo build first`);
  return bin;
}

/** Builds the book in `bookDir` into a fresh temporary folder and returns that folder. */
export function buildBook(bookDir, extraArgs = []) {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'wardbook-site-'));
  fs.rmSync(dest, { recursive: true });
  execFileSync(wardbookBin(), ['build', bookDir, '--dest', dest, '--as-of', '2026-11-21', '--quiet', ...extraArgs], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  return dest;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.pdf': 'application/pdf', '.csv': 'text/csv', '.woff2': 'font/woff2',
};

/**
 * Serves `dir` under `prefix` (e.g. '/guidelines/' to test a sub-path) on 127.0.0.1; returns
 * {url, close, log}. `log` gets the path of every request the server saw, including ones the
 * browser makes on its own (such as /favicon.ico), so a test can assert none left the prefix.
 */
export async function serveDir(dir, prefix = '/') {
  const log = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    log.push(u.pathname);
    let p = decodeURIComponent(u.pathname);
    if (!p.startsWith(prefix)) { res.writeHead(404); res.end('not found'); return; }
    p = p.slice(prefix.length);
    if (p === '' || p.endsWith('/')) p += 'index.html';
    const file = path.join(dir, p);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end('not found'); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { url, log, close: () => new Promise((r) => server.close(r)) };
}

/** file:// URL of `rel` inside the built site `dir`. */
export function fileUrl(dir, rel = 'index.html') {
  return pathToFileURL(path.join(dir, rel)).href;
}

/** file:// URL of the folder `dir` itself, with a trailing slash: the base every in-site URL starts with. */
export function dirUrl(dir) {
  return pathToFileURL(path.resolve(dir)).href.replace(/\/?$/, '/');
}

/** Launches headless Chromium with the flags this workplace needs. */
export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

/**
 * Opens a new page that records problems. Returns {page, errors, requests}: `errors` gets console
 * errors and uncaught exceptions, `requests` every URL the page asked for.
 */
export async function open(browser, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  return { page, context, errors, requests };
}

/** True when `url` stays inside the site at `base` (an http:// prefix or a file:// folder). */
export function insideSite(url, base) {
  return url.startsWith(base) || url.startsWith('data:') || url === 'about:blank';
}

/** The axe-core rule tags the site must pass: WCAG 2.0, 2.1 and 2.2 A and AA, and best practice. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Runs axe-core on the current page for AXE_TAGS; returns the violations. On file:// pages axe's
 * stylesheet preload (an XMLHttpRequest, which Chromium refuses from a null origin and reports as
 * a console error) is turned off; serve the site over HTTP to run the CSS-based rules in full.
 */
export async function axeViolations(page) {
  const source = fs.readFileSync(path.join(repoRoot, 'tests/browser/node_modules/axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const result = await page.evaluate(async (tags) => {
    const preload = window.location.protocol !== 'file:';
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { preload, runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  }, AXE_TAGS);
  return result;
}

/**
 * The text of each printed page of `page` (printed to PDF by Chromium at paper size `format`,
 * then read by pdftotext), blank pages left out; `layout` keeps pdftotext's layout.
 */
export async function printedPages(page, format, { layout = false } = {}) {
  const pdf = await page.pdf({ format });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wardbook-print-'));
  try {
    const file = path.join(dir, 'page.pdf');
    fs.writeFileSync(file, pdf);
    const args = layout ? ['-layout', file, '-'] : [file, '-'];
    return execFileSync('pdftotext', args, { encoding: 'utf8' })
      .split('\f').filter((p) => p.trim() !== '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
