// Local adaptations in the browser: the fixture book tests/fixtures/adapt-basic (a network book
// with two trusts) built by the wardbook binary and opened from file:// with JavaScript off (on
// only to run axe), at a desktop width and at a 360-pixel phone width. An adapted guideline page
// with a local section says whose adaptation it is in its banner and marks where the local text
// starts and ends, in words a screen reader reads (the accessibility tree has them); the
// variance report shows each local value, section and omission with the network and local text
// side by side, the removed and added words announced as such; neither page overflows a phone
// screen, and axe passes on both.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildBook, fileUrl, launch, open, axeViolations, repoRoot } from './lib/harness.mjs';

const ALPHA = 'Alpha Hospitals NHS Trust';
let site;
let browser;

before(async () => {
  site = buildBook(path.join(repoRoot, 'tests/fixtures/adapt-basic'), ['--no-pdf']);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

/** Opens `rel` from file:// at `width` pixels, JavaScript on or off; returns {page, context, errors, requests}. */
async function show(rel, { width = 1280, javaScriptEnabled = false } = {}) {
  const v = await open(browser, { javaScriptEnabled });
  await v.page.setViewportSize({ width, height: 800 });
  await v.page.goto(fileUrl(site, rel), { waitUntil: 'load' });
  return v;
}

/** What sticks out of a `width`-pixel screen: the page's scroll width and the elements wider. */
async function overflow(page) {
  return page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    wider: [...document.querySelectorAll('main *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .filter((el) => !el.closest('.table-wrap'))
      .map((el) => `${el.tagName}.${el.className}`)
      .slice(0, 5),
  }));
}

describe('an adapted guideline page', () => {
  test('says whose adaptation it is and marks the local section in words, without JavaScript', async () => {
    const { page, context, errors, requests } = await show('alpha/resp/asthma.html');
    const banner = await page.locator('.adaptation-banner').innerText();
    assert.match(banner, new RegExp(`Local adaptation for ${ALPHA}`));
    const h1 = await page.locator('h1').innerText();
    assert.equal(h1, `Acute asthma (local variation, ${ALPHA})`);
    const main = await page.locator('main').innerText();
    const start = main.indexOf(`Local text, ${ALPHA}: this section is ${ALPHA}'s own`);
    const local = main.indexOf('Alpha pathway: call the Alpha registrar');
    const end = main.indexOf(`End of local text, ${ALPHA}.`);
    assert.ok(start >= 0 && start < local && local < end, main);
    assert.ok(main.includes(`Alpha switchboard 0100 000 0000 (local: ${ALPHA})`), main);
    const tree = await page.locator('main').ariaSnapshot();
    assert.ok(tree.includes(`Local text, ${ALPHA}:`), tree);
    assert.ok(tree.includes(`End of local text, ${ALPHA}.`), tree);
    assert.ok(requests.every((u) => u.startsWith('file:')), `no request leaves the disk: ${requests}`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const width of [1280, 360]) {
    test(`passes axe and does not overflow at ${width}px`, async () => {
      const { page, context } = await show('alpha/resp/asthma.html', { width, javaScriptEnabled: true });
      const o = await overflow(page);
      assert.ok(o.page <= width, `page is ${o.page}px wide: ${o.wider}`);
      assert.deepEqual(await axeViolations(page), []);
      await context.close();
    });
  }
});

describe('variations.html', () => {
  test('shows values, local texts side by side with the changes announced, and omissions', async () => {
    const { page, context, errors } = await show('alpha/variations.html');
    const values = await page.locator('tr[data-value="switchboard"]').innerText();
    assert.match(values, /your hospital switchboard/);
    assert.match(values, /Alpha switchboard 0100 000 0000/);
    const variation = page.locator('section.variation[data-kind="sections"]');
    assert.equal(await variation.getAttribute('data-standing'), 'current');
    const cells = variation.locator('td.redline-text');
    assert.equal(await cells.count(), 2, 'network text and local text side by side');
    const del = await cells.nth(0).locator('del').first().textContent();
    const ins = await cells.nth(1).locator('ins').first().textContent();
    assert.match(del, /^\[network only: Call\]$/);
    assert.match(ins, /^\[local only: Alpha pathway: call\]$/);
    const tree = await variation.ariaSnapshot();
    assert.ok(tree.includes('deletion: "[network only: Call ]"'), tree);
    assert.ok(tree.includes('insertion: "[local only: Alpha pathway: call ]"'), tree);
    const link = await variation.locator('h3 a').getAttribute('href');
    assert.ok(fs.existsSync(path.join(site, 'alpha', link)), `${link} is a page of the site`);
    assert.deepEqual(errors, []);
    await context.close();
    const beta = await show('beta/variations.html');
    const omitted = await beta.page.locator('#omitted + ul').innerText();
    assert.match(omitted, /Croup: Beta has no children's ward/);
    await beta.context.close();
  });

  for (const width of [1280, 360]) {
    test(`passes axe and does not overflow at ${width}px`, async () => {
      for (const rel of ['alpha/variations.html', 'beta/variations.html']) {
        const { page, context } = await show(rel, { width, javaScriptEnabled: true });
        const o = await overflow(page);
        assert.ok(o.page <= width, `${rel} is ${o.page}px wide: ${o.wider}`);
        assert.deepEqual(await axeViolations(page), [], rel);
        await context.close();
      }
    });
  }
});
