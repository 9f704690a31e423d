// The history pages in the browser: the fixture repository (lib/history-book.mjs) built by the
// wardbook binary and opened from file://. Checks axe on each new page type, that the archived
// version's notice and the version table show and their links work with JavaScript off, and
// that a moved guideline's old address redirects with JavaScript on and shows the link with it
// off. What the pages should show comes from the fixture's HISTORY, not from the output.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { buildBook, fileUrl, launch, open, axeViolations, printedPages } from './lib/harness.mjs';
import { makeHistoryBook, HISTORY } from './lib/history-book.mjs';

/** "2 June 2025", the NHS way. */
function longDate(iso) {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
  });
}

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



describe('history pages', () => {
  const c = HISTORY.croup;
  const superseded = c.versions[1];

  test('history pages pass axe', async () => {
    const { page, context, errors } = await open(browser);
    for (const rel of [c.page, superseded.page, 'archive.html', HISTORY.withdrawn.archivedPage, HISTORY.removed.archivedPage]) {
      await page.goto(fileUrl(site, rel));
      assert.deepEqual(await axeViolations(page), [], `${rel}: axe violations`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a superseded version shows its notice without JavaScript, links the whole version list, and its links work', async () => {
    const { page, context } = await open(browser, { javaScriptEnabled: false });
    await page.goto(fileUrl(site, superseded.page));
    assert.equal(await page.getAttribute('main', 'data-status'), 'superseded');
    const notice = page.locator('#superseded-notice');
    assert.ok(await notice.isVisible());
    assert.match(await notice.innerText(), new RegExp(`Superseded on ${longDate(superseded.until)} by version ${c.versions[2].version}: do not use for patient care`));
    assert.match(await notice.innerText(), new RegExp(`SUPERSEDED: do not use for patient care, version ${superseded.version} replaced on ${longDate(superseded.until)}`));
    assert.equal(await page.getAttribute('meta[name="robots"]', 'content'), 'noindex');
    assert.ok((await page.locator('main').innerText()).includes(c.text[superseded.version]));
    // The version list is not repeated on every superseded page: it links the archive's entry.
    assert.equal(await page.locator('table.version-table').count(), 0);
    await page.locator('#all-versions a').click();
    assert.ok(page.url().includes('archive.html#'), page.url());
    await page.goBack();
    await notice.locator('a').click();
    assert.ok(page.url().endsWith(c.page), page.url());
    const rows = page.locator('table.version-table tbody tr');
    assert.equal(await rows.count(), c.versions.length);
    assert.match(await rows.nth(0).innerText(), /in force/);
    await rows.nth(1).locator('a').click();
    assert.ok(page.url().endsWith(superseded.page), page.url());
    await context.close();
  });

  test('a superseded page says SUPERSEDED in words on every printed page', async () => {
    const { page, context } = await open(browser, { javaScriptEnabled: false });
    await page.goto(fileUrl(site, superseded.page));
    // A small paper size, so that the old text runs over several pages.
    const pages = await printedPages(page, 'A6', { layout: true });
    await context.close();
    assert.ok(pages.length >= 3, `${pages.length} pages`);
    const words = `SUPERSEDED: do not use for patient care, version ${superseded.version} replaced on ${longDate(superseded.until)}`;
    pages.forEach((p, i) => {
      assert.ok(p.replace(/\s+/g, ' ').includes(words), `page ${i + 1} of ${pages.length} lacks the warning:\n${p}`);
    });
  });

  test('the archive lists removed guidelines and every version with its dates', async () => {
    const { page, context } = await open(browser, { javaScriptEnabled: false });
    await page.goto(fileUrl(site, 'archive.html'));
    const text = await page.locator('main').innerText();
    assert.ok(text.includes(HISTORY.removed.title));
    for (const v of c.versions) assert.ok(text.includes(longDate(v.from)), v.from);
    await page.locator(`a[href="${HISTORY.removed.archivedPage}"]`).click();
    assert.match(await page.locator('#superseded-notice').innerText(), new RegExp(`Removed from the book on ${longDate(HISTORY.removed.date)}`));
    await context.close();
  });

  test('a moved guideline\'s old address redirects, and shows the link without JavaScript', async () => {
    const m = HISTORY.moved;
    const on = await open(browser);
    // The #anchor of an old bookmark is kept on the way.
    await on.page.goto(`${fileUrl(site, m.oldPage)}#treatment`);
    await on.page.waitForURL((u) => u.href.endsWith(`${m.page}#treatment`));
    assert.deepEqual(on.errors, []);
    await on.context.close();
    const off = await open(browser, { javaScriptEnabled: false });
    await off.page.goto(fileUrl(site, m.oldPage));
    assert.ok(off.page.url().endsWith(m.oldPage));
    await off.page.locator('#moved-link').click();
    assert.ok(off.page.url().endsWith(m.page), off.page.url());
    await off.context.close();
  });
});
