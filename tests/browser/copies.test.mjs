// Copies that say when they are stale, in headless Chromium with the clock moved: a page opened
// from file:// (no request) within stale_after_days says nothing; later, or after valid_until,
// it says at its top when it was published, how many days ago, and where the current version
// is; a clock before the publish day gives the neutral "cannot tell how old this copy is";
// with JavaScript off the footer still gives the publish date. Served over HTTP with [offline]
// enabled, the service worker keeps the edition: with the network cut the page still opens, and
// after lockout_days without reaching the site it opens behind a notice that must be
// acknowledged. axe passes on the notices.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBook, fileUrl, serveDir, launch, open, axeViolations, printedPages } from './lib/harness.mjs';

const DAY = 86400000;
const BOOK = `[book]
title = "Copies Book"
edition = "2026-27"
base_url = "https://guidelines.example.org/copies/"
valid_until = VALID
stale_after_days = 90

[[sections]]
slug = "resp"
title = "Respiratory"

[[networks]]
slug = "resp-net"
name = "Respiratory Network"
contact = "mailto:resp@example.org"

[offline]
enabled = true
lockout_days = 14
`;
const GUIDELINE = `---
title: Croup
section: resp
network: resp-net
review_date: 2030-01-31
version: "2.0"
---

## Treatment

Observe for 4 hours.
`;

/** A book (published 21 November 2026, valid until `valid`), built; returns the site folder. */
function site(valid) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wardbook-copies-'));
  fs.writeFileSync(path.join(dir, 'book.toml'), BOOK.replace('VALID', valid));
  fs.mkdirSync(path.join(dir, 'guidelines'));
  fs.writeFileSync(path.join(dir, 'guidelines', 'croup.md'), GUIDELINE);
  const out = buildBook(dir, ['--no-pdf']);
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

let browser;
let plain;
let early;

before(async () => {
  plain = site('2027-06-30');
  early = site('2026-12-31');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const d of [plain, early]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** The age notice of the guideline page of `dir` opened from file:// on `day`. */
async function notice(dir, day) {
  const { page, context, errors } = await open(browser);
  await page.clock.setFixedTime(new Date(`${day}T10:00:00`));
  await page.goto(fileUrl(dir, 'resp/croup.html'));
  const text = (await page.locator('#copy-age').innerText()).trim();
  await context.close();
  assert.deepEqual(errors, []);
  return text;
}

describe('a copy that knows its date (file://)', () => {
  test('within stale_after_days it says nothing', async () => {
    assert.equal(await notice(plain, '2027-02-19'), '');
  });

  test('later it says when it was published, how long ago, and where the current version is', async () => {
    assert.equal(
      await notice(plain, '2027-03-01'),
      'This copy was published on 21 November 2026 (100 days ago). Check '
        + 'https://guidelines.example.org/copies/resp/croup.html for the current version.',
    );
  });

  test('after valid_until it says so, however recent', async () => {
    const text = await notice(early, '2027-01-05');
    assert.match(text, /^This copy was published on 21 November 2026 \(45 days ago\)\. It was valid until 31 December 2026\. Check /);
  });

  test('a clock before the publish day cannot tell its age', async () => {
    const text = await notice(plain, '2025-06-01');
    assert.match(text, /cannot tell how old this copy is/);
    assert.doesNotMatch(text, /days ago/);
  });

  test('the notice is read out and passes axe', async () => {
    const { page, context } = await open(browser);
    await page.clock.setFixedTime(new Date('2027-03-01T10:00:00'));
    await page.goto(fileUrl(plain, 'resp/croup.html'));
    assert.equal(await page.locator('#copy-age').getAttribute('role'), 'status');
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });

  test('without JavaScript the page still gives its publish date', async () => {
    const { page, context, requests } = await open(browser, { javaScriptEnabled: false });
    await page.goto(fileUrl(plain, 'resp/croup.html'));
    const footer = await page.locator('.copy-published').innerText();
    assert.match(footer, /This copy was published on 21 November 2026 and is valid until 30 June 2027\./);
    assert.ok(requests.every((u) => u.startsWith('file:')), requests.join('\n'));
    await context.close();
  });
});

describe('a guideline printed from the browser', () => {
  test('every printed page says what it is, when it was published, until when it is valid, and where the current one is', async () => {
    const { page, context } = await open(browser, { javaScriptEnabled: false });
    await page.goto(fileUrl(plain, 'resp/croup.html'));
    // A small paper size, so that the page runs over several sheets.
    const pages = await printedPages(page, 'A6');
    await context.close();
    assert.ok(pages.length >= 2, `${pages.length} pages`);
    const words = [
      'Copies Book, edition 2026-27',
      'Croup, version 2.0',
      'Published 21 November 2026',
      'Valid until 30 June 2027',
      'Uncontrolled when printed',
      'Current version: guidelines.example.org/copies/resp/croup.html',
    ];
    pages.forEach((p, i) => {
      const text = p.replace(/\s+/g, ' ');
      for (const w of words) assert.ok(text.includes(w), `page ${i + 1} of ${pages.length} lacks "${w}":\n${p}`);
    });
  });
});

describe('the offline copy (served over HTTP)', () => {
  let server;
  before(async () => { server = await serveDir(plain); });
  after(async () => { await server?.close(); });

  test('kept by the service worker, it opens without signal, and after lockout_days behind a notice', async () => {
    const { page, context, errors } = await open(browser);
    const url = `${server.url}resp/croup.html`;
    await page.goto(url);
    // The worker installs (caching the whole edition) and takes the page over.
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const manifest = JSON.parse(fs.readFileSync(path.join(plain, 'offline.json'), 'utf8'));
    assert.ok(manifest.files.includes('resp/croup.html') && manifest.files.includes('index.html'));

    // No signal: the page, and another page of the edition, still open.
    await context.setOffline(true);
    await page.reload();
    assert.equal(await page.locator('h1').innerText(), 'Croup');
    await page.goto(`${server.url}index.html`);
    assert.match(await page.title(), /Copies Book/);
    assert.equal(await page.locator('.offline-lock').count(), 0);

    // Fifteen days later, still without signal: the notice stands in front of the page.
    await page.clock.setFixedTime(new Date(Date.now() + 15 * DAY));
    await page.goto(url);
    const lock = page.locator('.offline-lock');
    await lock.waitFor();
    assert.match(await lock.innerText(), /This offline copy may be out of date/);
    assert.match(await lock.innerText(), /has not reached the guidelines website for 15 days/);
    assert.equal(await page.locator('main').evaluate((m) => m.closest('[inert]') !== null), true);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('button', { name: /I understand/ }).click();
    assert.equal(await lock.count(), 0);
    assert.equal(await page.locator('main').evaluate((m) => m.closest('[inert]') !== null), false);
    await context.close();
    assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e)), []);
  });

  test('when a newer edition is published it is saved in place, the page says so, and it opens without signal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wardbook-next-'));
    fs.cpSync(plain, dir, { recursive: true });
    const served = await serveDir(dir);
    try {
      const { page, context } = await open(browser);
      const url = `${served.url}resp/croup.html`;
      await page.goto(url);
      await page.evaluate(async () => { await navigator.serviceWorker.ready; });
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      assert.equal(await page.locator('.copy-updated').count(), 0);

      // The site publishes a newer edition: another manifest, another text.
      const file = path.join(dir, 'offline.json');
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
      manifest.edition = `${manifest.edition}-next`;
      fs.writeFileSync(file, JSON.stringify(manifest));
      const croup = path.join(dir, 'resp', 'croup.html');
      fs.writeFileSync(croup, fs.readFileSync(croup, 'utf8').replace('Observe for 4 hours.', 'Observe for 4 hours (newer edition).'));

      // The worker looks at most every 30 seconds; then a page asks it to look.
      await new Promise((r) => setTimeout(r, 31000));
      await page.evaluate(() => navigator.serviceWorker.controller.postMessage('wardbook-check'));
      const saved = page.locator('.copy-updated');
      await saved.waitFor({ timeout: 20000 });
      assert.match(await saved.innerText(), /A newer edition has been saved on this device for use without signal/);

      // Without signal, the page now opens from the newer edition.
      await context.setOffline(true);
      await page.reload();
      assert.match(await page.locator('main').innerText(), /Observe for 4 hours \(newer edition\)\./);
      await context.close();
    } finally {
      await served.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
