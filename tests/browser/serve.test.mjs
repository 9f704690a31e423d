// `wardbook serve` in headless Chromium: the open page reloads by itself after an edit (keeping its
// scroll position), shows the overlay with file:line while a save is broken, and recovers by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, wardbookBin, launch, open } from './lib/harness.mjs';

/** A temporary copy of the sample book. */
function copyBook() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wardbook-serve-'));
  fs.copyFileSync(path.join(repoRoot, 'book.toml'), path.join(dir, 'book.toml'));
  fs.cpSync(path.join(repoRoot, 'guidelines'), path.join(dir, 'guidelines'), { recursive: true });
  return dir;
}

/** Starts `wardbook serve BOOK --port 0`; resolves with {url, proc, output()} once it prints its URL. */
function startServe(book) {
  const proc = spawn(wardbookBin(), ['serve', book, '--port', '0', '--as-of', '2026-11-21'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL:\n${out}\n${err}`)), 30000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Serving .* at (http:\/\/\S+) /);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], proc, output: () => `${out}\n${err}` });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/** Stops the server with Ctrl-C (SIGINT); resolves with its exit code. */
function stop(proc) {
  return new Promise((resolve) => {
    proc.removeAllListeners('exit');
    proc.on('exit', (code) => resolve(code));
    proc.kill('SIGINT');
  });
}

test('the open page reloads itself after an edit, shows a broken save, and recovers', async () => {
  const book = copyBook();
  const file = path.join(book, 'guidelines/respiratory/bronchiolitis.md');
  const original = fs.readFileSync(file, 'utf8');
  const server = await startServe(book);
  const browser = await launch();
  try {
    const { page, context, errors } = await open(browser);
    await page.setViewportSize({ width: 900, height: 500 });
    const failed = [];
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${server.url}respiratory/bronchiolitis.html`);
    await page.waitForSelector('html[data-wardbook-live="connected"]');
    await page.evaluate(() => window.scrollTo(0, 700));
    const scrolled = await page.evaluate(() => window.scrollY);
    assert.ok(scrolled > 300, `the page scrolls (${scrolled})`);

    // An edit: the page reloads by itself, at the same scroll position.
    let loads = 0;
    page.on('load', () => { loads += 1; });
    fs.writeFileSync(file, `${original}\nReload-marker: written while the page was open.\n`);
    await page.waitForFunction(() => document.body && document.body.innerText.includes('Reload-marker'), null, { timeout: 15000 });
    assert.ok(loads >= 1, 'the page was reloaded');
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 5, scrolled, { timeout: 5000 });

    // A broken front matter: the overlay names the file and line; the page stays.
    await page.waitForSelector('html[data-wardbook-live="connected"]');
    fs.writeFileSync(file, original.replace('title:', 'title: [unclosed\ntitle:'));
    const overlay = await page.waitForSelector('#wardbook-overlay', { timeout: 15000 });
    const text = await overlay.innerText();
    assert.match(text, /guidelines\/respiratory\/bronchiolitis\.md:\d+:\d+/);
    assert.match(text, /front matter/);
    assert.ok(await page.evaluate(() => document.body.innerText.includes('Reload-marker')), 'the last good page is still shown');

    // Fixed: the overlay goes away by itself and the new content is shown.
    fs.writeFileSync(file, `${original}\nFixed-marker.\n`);
    await page.waitForFunction(() => document.body && document.body.innerText.includes('Fixed-marker'), null, { timeout: 15000 });
    assert.equal(await page.$('#wardbook-overlay'), null);
    // Every request of the page succeeded. Chromium's own /favicon.ico request (the book has no
    // icon, as under any web server) is not a page request: its console 404 is left aside.
    assert.deepEqual(failed, []);
    assert.deepEqual(errors.filter((e) => !e.includes('status of 404')), []);
    await context.close();
  } finally {
    await browser.close();
    const code = await stop(server.proc);
    fs.rmSync(book, { recursive: true, force: true });
    assert.equal(code, 0, `serve exits cleanly on Ctrl-C:\n${server.output()}`);
  }
});
