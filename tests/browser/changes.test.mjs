// changes.html in the browser: the history fixture (lib/history-book.mjs) built by the wardbook
// binary and opened from file:// with JavaScript off (on only to run axe). Checks axe, that the
// home page links the page, that each kind of change lists the fixture's guidelines with links
// that lead to their pages, and that a changed number reads "1 hour → 2 hours" on screen and
// "1 hour changed to 2 hours" to a screen reader. The redline: the top of the page counts and
// links the guidelines whose numbers changed; each changed block shows its old text with the
// deleted words struck through and its new text with the inserted words bold, and a screen
// reader hears "deleted: …" and "inserted: …" (it does not announce <del> and <ins> by
// default); on a 360-pixel-wide phone nothing overflows and axe still passes. What the page
// should show comes from the fixture's HISTORY.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildBook, fileUrl, launch, open, axeViolations } from './lib/harness.mjs';
import { makeHistoryBook, HISTORY } from './lib/history-book.mjs';

let site;
let browser;
let book;

before(async () => {
  book = makeHistoryBook();
  site = buildBook(book.dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const d of [site, book?.dir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});



/** The text of `locator` as seen (without what only screen readers get) and as heard (without aria-hidden). */
async function seenAndHeard(locator) {
  return locator.evaluate((el) => {
    const text = (drop) => {
      const copy = el.cloneNode(true);
      for (const n of copy.querySelectorAll(drop)) n.remove();
      return copy.textContent.replace(/\s+/g, ' ').trim();
    };
    return { seen: text('.visually-hidden'), heard: text('[aria-hidden="true"]') };
  });
}

/** A page without JavaScript, from file://, on changes.html. */
async function changesPage() {
  const opened = await open(browser, { javaScriptEnabled: false });
  await opened.page.goto(fileUrl(site, 'changes.html'));
  return opened;
}

describe('changes.html', () => {
  const c = HISTORY.croup;

  test('passes axe, and the home page links it', async () => {
    const { page, context, errors } = await open(browser, { javaScriptEnabled: false });
    await page.goto(fileUrl(site, 'index.html'));
    const link = page.locator('a[href="changes.html"]');
    assert.equal(await link.innerText(), `Changes since ${HISTORY.previousEdition}`);
    await link.click();
    assert.ok(page.url().endsWith('/changes.html'), page.url());
    assert.equal(await page.locator('h1').innerText(), `Changes since ${HISTORY.previousEdition}`);
    await context.close();
    // axe runs as a script: this page alone with JavaScript on.
    const withJs = await open(browser);
    await withJs.page.goto(fileUrl(site, 'changes.html'));
    assert.deepEqual(await axeViolations(withJs.page), [], 'changes.html: axe violations');
    assert.deepEqual([...errors, ...withJs.errors], []);
    await withJs.context.close();
  });

  test('an updated guideline shows its versions, summary and every changed number, and links its page', async () => {
    const { page, context } = await changesPage();
    const item = page.locator('[data-changes="updated"] li[data-file]', { hasText: c.title });
    assert.equal(await item.count(), 1);
    const { seen, heard } = await seenAndHeard(item.locator('.change-version'));
    assert.equal(seen, `Version ${c.versions[1].version} → ${c.versions[2].version}`);
    assert.equal(heard, `Version ${c.versions[1].version} changed to ${c.versions[2].version}`);
    assert.equal(await item.locator('.change-summary').innerText(), c.changeSummary);
    const numbers = item.locator('.number-changes li');
    assert.equal(await numbers.count(), c.numberChanges.length);
    for (const [i, n] of c.numberChanges.entries()) {
      const said = await seenAndHeard(numbers.nth(i));
      assert.ok(said.seen.endsWith(`${n.old} → ${n.new}`), said.seen);
      assert.ok(said.heard.endsWith(`${n.old} changed to ${n.new}`), said.heard);
    }
    await item.locator('h3 a').click();
    assert.ok(page.url().endsWith(c.page), page.url());
    await context.close();
  });

  test('withdrawn, removed and moved guidelines are listed; each link leads to a page of the site', async () => {
    const { page, context } = await changesPage();
    const withdrawn = page.locator('[data-changes="withdrawn"]');
    const w = withdrawn.locator('li', { hasText: HISTORY.withdrawn.title });
    assert.equal(await w.locator('a').first().getAttribute('href'), HISTORY.withdrawn.page);
    // Its reason and approval, and a link to the guideline that replaces it (`replaced_by`).
    assert.match(await w.innerText(), /Approved by .+ on \d{4}-\d{2}-\d{2}/);
    const instead = w.locator('.replaced-by a');
    assert.match(await w.locator('.replaced-by').innerText(), /^Use instead: /);
    assert.ok(fs.existsSync(path.join(site, decodeURIComponent(await instead.getAttribute('href')))));
    const removed = withdrawn.locator('li', { hasText: HISTORY.removed.title });
    assert.equal(await removed.locator('a').count(), 0, 'a removed guideline has no page to link');
    assert.match(await removed.innerText(), /removed from the book/);
    const moved = page.locator('[data-changes="moved"] li', { hasText: HISTORY.moved.title });
    assert.equal(await moved.locator('a').getAttribute('href'), HISTORY.moved.page);
    assert.equal(await page.locator('[data-changes="new"]').innerText().then((s) => s.trim().endsWith('None.')), true);
    for (const href of await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      const rel = href.split('#')[0];
      if (rel) assert.ok(fs.existsSync(path.join(site, decodeURIComponent(rel))), `changes.html links ${href}, not built`);
    }
    await context.close();
  });

  test('the top counts and links the guidelines whose numbers changed', async () => {
    const { page, context } = await changesPage();
    const top = page.locator('.numbers-changed');
    assert.equal(await top.innerText(), `Numbers changed in 1 guideline: ${c.title}.`);
    assert.ok((await page.locator('main').innerText()).includes('it is not guidance'));
    await top.locator('a').click();
    const id = new URL(page.url()).hash.slice(1);
    const target = page.locator(`[id="${id}"]`);
    assert.equal(await target.getAttribute('data-file'), c.source);
    await context.close();
  });

  test('a changed block shows old and new with the changed words marked and announced', async () => {
    const { page, context } = await changesPage();
    const item = page.locator('[data-changes="updated"] li[data-file]', { hasText: c.title });
    const [oldLine, newLine] = [item.locator('.block-changes .redline').nth(0), item.locator('.block-changes .redline').nth(1)];
    const old = await seenAndHeard(oldLine);
    const now = await seenAndHeard(newLine);
    // On screen: the texts as written, both sides of the change.
    assert.ok(old.seen.startsWith('Old: ') && old.seen.includes(c.text['2.2']), old.seen);
    assert.ok(now.seen.startsWith('New: ') && now.seen.includes(c.text['2.3']), now.seen);
    // To a screen reader: each mark says what it is.
    assert.ok(old.heard.includes('deleted: 1 (end deleted)'), old.heard);
    assert.ok(now.heard.includes('inserted: 2 (end inserted)'), now.heard);
    assert.ok(now.heard.includes('inserted: hours (end inserted)'), now.heard);
    const styles = await page.evaluate(() => {
      const del = document.querySelector('.redline del');
      const ins = document.querySelector('.redline ins');
      const hidden = del.querySelector('.visually-hidden');
      return {
        del: getComputedStyle(del).textDecorationLine,
        ins: Number(getComputedStyle(ins).fontWeight),
        hiddenWidth: hidden.getBoundingClientRect().width,
      };
    });
    assert.equal(styles.del, 'line-through');
    assert.ok(styles.ins >= 700, `inserted words are bold (${styles.ins})`);
    assert.ok(styles.hiddenWidth <= 1, 'the announcement takes no room on screen');
    // The accessibility tree has the words too, not only the DOM.
    const tree = await oldLine.ariaSnapshot();
    assert.ok(tree.includes('deleted: 1 (end deleted)'), tree);
    await context.close();
  });

  test('on a phone-width screen nothing overflows and axe passes', async () => {
    const { page, context, errors } = await open(browser);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(fileUrl(site, 'changes.html'));
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      wider: [...document.querySelectorAll('main *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((el) => `${el.tagName}.${el.className}`)
        .slice(0, 5),
    }));
    assert.ok(widths.page <= 360, `page is ${widths.page}px wide: ${widths.wider}`);
    assert.deepEqual(widths.wider, []);
    assert.deepEqual(await axeViolations(page), [], 'changes.html at 360px: axe violations');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
