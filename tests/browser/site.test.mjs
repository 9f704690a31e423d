// Browser-side acceptance of the built site: the sample book built by the wardbook
// binary, opened in headless Chromium from file:// and over HTTP under a sub-path. Checks that
// every link and anchor resolves, nothing is requested from outside the site, axe-core finds no
// WCAG 2.2 AA or best-practice violation on any page, focus is visible, pages work without
// JavaScript, review status and draft/withdrawn handling show as the issue asks, and a guideline
// page does not grow with the book.
//
// What the pages should show is worked out here from the sample book's own files (book.toml and
// the guidelines' front matter), not read back from the output.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  repoRoot, buildBook, serveDir, fileUrl, dirUrl, launch, open, insideSite, axeViolations,
} from './lib/harness.mjs';

const AS_OF = '2026-11-21';

// ---------------------------------------------------------------------------------------------
// The sample book as its sources describe it
// ---------------------------------------------------------------------------------------------

/** `[[sections]]` of a book.toml: [{slug, title}] in book order, and `review_warning_days`. */
function readBookToml(root) {
  const text = fs.readFileSync(path.join(root, 'book.toml'), 'utf8');
  const value = (block, key) => {
    const m = block.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm'));
    return m ? m[1] : undefined;
  };
  const sections = text.split(/^\[\[sections\]\]\s*$/m).slice(1)
    .map((b) => b.split(/^\[/m)[0])
    .map((b) => ({ slug: value(b, 'slug'), title: value(b, 'title') }));
  const warn = text.match(/^review_warning_days\s*=\s*(\d+)/m);
  return { sections, warnDays: warn ? Number(warn[1]) : 90 };
}

/** The scalar front matter keys of a guideline (lists are skipped) and its body. */
function frontMatter(text) {
  const m = text.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n/);
  assert.ok(m, 'guideline without front matter');
  const fm = {};
  for (const line of m[1].split(/\r?\n/)) {
    const kv = line.match(/^([a-z_]+):\s*(.*?)\s*$/);
    if (kv && kv[2] !== '') fm[kv[1]] = kv[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return { fm, body: text.slice(m[0].length) };
}

function addDays(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "30 September 2025", the NHS way. */
function longDate(iso) {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
  });
}

function mdFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

/** Every guideline of the sample book with its expected page, status and review status. */
function sampleGuidelines(root = repoRoot) {
  const { sections, warnDays } = readBookToml(root);
  const dueBy = addDays(AS_OF, warnDays);
  return mdFiles(path.join(root, 'guidelines')).sort().map((file) => {
    const { fm, body } = frontMatter(fs.readFileSync(file, 'utf8'));
    const section = sections.find((s) => s.slug === fm.section || s.title === fm.section);
    assert.ok(section, `${file}: section ${fm.section} not in book.toml`);
    const review = fm.review_date < AS_OF ? 'overdue' : fm.review_date <= dueBy ? 'due' : 'current';
    return {
      file,
      title: fm.title,
      page: `${section.slug}/${path.basename(file, '.md')}.html`,
      section: section.slug,
      status: fm.status || 'current',
      order: fm.order === undefined ? null : Number(fm.order),
      reviewDate: fm.review_date,
      review,
      headings: [...body.matchAll(/^#{2,3} +(.+?)\s*$/gm)].map((h) => h[1]),
    };
  });
}

/** Book order within a section: guidelines with an `order` first, by it, then by title. */
function bookOrder(a, b) {
  if ((a.order === null) !== (b.order === null)) return a.order === null ? 1 : -1;
  if (a.order !== b.order) return a.order - b.order;
  const [x, y] = [a.title.toLowerCase(), b.title.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

const listedIn = (gs, drafts) => gs.filter((g) => g.status === 'current' || (drafts && g.status === 'draft'));

// ---------------------------------------------------------------------------------------------
// Crawling
// ---------------------------------------------------------------------------------------------

// Other engineers add reviews.html (review report) and search.html (search page) on their own
// branches. Until their work is merged those pages are absent from this branch's build, so a
// link to them may not resolve yet. They are allowed to be missing ONLY while the build output
// does not contain them: as soon as a build writes them they are crawled and checked like every
// other page.
const PAGES_OF_OTHER_BRANCHES = ['reviews.html', 'search.html'];

function allowedMissing(dir) {
  return new Set(PAGES_OF_OTHER_BRANCHES.filter((p) => !fs.existsSync(path.join(dir, p))));
}

/** True when `url` (a file:// URL or an http:// URL) names an existing file. */
async function fileExists(url) {
  if (url.startsWith('file:')) {
    const p = fileURLToPath(url);
    return fs.existsSync(p) && fs.statSync(p).isFile();
  }
  const r = await fetch(url);
  return r.status === 200;
}

/**
 * Opens `start` and every page reachable from it by in-site links; returns the problems found
 * (page load failures, console or page errors, links leaving the site, broken links and anchors),
 * the pages visited (site-relative) and every request made, as [page, url].
 */
async function crawl(browser, { base, start, missingOk, javaScriptEnabled = true }) {
  const problems = [];
  const ids = new Map();
  const anchors = [];
  const requests = [];
  const queue = [start];
  const seen = new Set([start]);
  const basePath = new URL(base).pathname;
  const { page, context, errors, requests: reqs } = await open(browser, { javaScriptEnabled });
  while (queue.length) {
    const url = queue.shift();
    errors.length = 0;
    reqs.length = 0;
    try {
      const resp = await page.goto(url, { waitUntil: 'load' });
      if (resp && resp.status() >= 400) problems.push(`${url}: HTTP ${resp.status()}`);
      const found = await page.evaluate(() => ({
        links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
        ids: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.getAttribute('name')),
      }));
      ids.set(url, new Set(found.ids));
      for (const link of found.links) {
        const u = new URL(link);
        const id = decodeURIComponent(u.hash.slice(1));
        u.hash = '';
        u.search = '';
        const target = u.href;
        if (!target.startsWith(base)) {
          // Another site, or a mail to a network's contact ("Report a problem"): no request.
          const otherSite = (/^https?:$/.test(u.protocol) && u.origin !== new URL(base).origin)
            || u.protocol === 'mailto:';
          if (!otherSite) problems.push(`${url}: link leaves the site folder: ${link}`);
          continue;
        }
        const rel = decodeURIComponent(u.pathname).slice(decodeURIComponent(basePath).length);
        if (missingOk.has(rel)) continue;
        if (rel.endsWith('.html')) {
          if (!seen.has(target)) { seen.add(target); queue.push(target); }
          if (id) anchors.push({ from: url, target, id });
        } else if (!(await fileExists(target))) {
          problems.push(`${url}: broken link ${link}`);
        }
      }
    } catch (e) {
      problems.push(`${url}: ${e.message.split('\n')[0]}`);
    }
    problems.push(...errors.map((e) => `${url}: ${e}`));
    requests.push(...reqs.map((r) => [url, r]));
  }
  await context.close();
  for (const a of anchors) {
    const has = ids.get(a.target);
    if (has && !has.has(a.id)) problems.push(`${a.from}: anchor #${a.id} not found in ${a.target}`);
  }
  const pages = [...ids.keys()].map((u) => decodeURIComponent(new URL(u).pathname).slice(decodeURIComponent(basePath).length));
  return { problems, pages, requests };
}

/** The pages a crawl must reach: home, A-Z, every section and network page and listed guideline. */
function mustReach(dir, guidelines) {
  const want = ['index.html', 'a-z.html'];
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    // A local adaptation's site (it has a variance report) is its own: adaptations.test.mjs.
    const adaptation = fs.existsSync(path.join(dir, d.name, 'variations.html'));
    if (d.isDirectory() && !adaptation && fs.existsSync(path.join(dir, d.name, 'index.html'))) want.push(`${d.name}/index.html`);
  }
  for (const f of fs.readdirSync(path.join(dir, 'networks'))) want.push(`networks/${f}`);
  for (const g of listedIn(guidelines, false)) want.push(g.page);
  return want;
}

// ---------------------------------------------------------------------------------------------
// Shared state: one build of the sample book, one with --drafts, one browser
// ---------------------------------------------------------------------------------------------

let browser;
let site;
let drafts;
const guidelines = sampleGuidelines();
const tmpDirs = [];

before(async () => {
  site = buildBook(repoRoot, ['--no-pdf']);
  drafts = buildBook(repoRoot, ['--no-pdf', '--drafts']);
  tmpDirs.push(site, drafts);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function htmlFiles(dir) {
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.html')).sort();
}

const viewers = {};

/**
 * Opens `rel` of the site in `dir` from file:// in a shared page (one with JavaScript, one
 * without) and returns {page, errors, requests} recorded for this page alone.
 */
async function view(dir, rel, { javaScriptEnabled = true } = {}) {
  const key = String(javaScriptEnabled);
  viewers[key] ??= await open(browser, { javaScriptEnabled });
  const v = viewers[key];
  v.errors.length = 0;
  v.requests.length = 0;
  await v.page.goto(fileUrl(dir, rel), { waitUntil: 'load' });
  return v;
}

function one(list, what) {
  assert.ok(list.length > 0, `the sample book has no ${what}`);
  return list[0];
}

// ---------------------------------------------------------------------------------------------
// 1 and 2: links, errors and requests, from file:// and over HTTP under a sub-path
// ---------------------------------------------------------------------------------------------

describe('crawl', () => {
  test('from file://: every page reachable from index.html loads, every link and anchor resolves, nothing leaves the folder', async () => {
    const base = dirUrl(site);
    const { problems, pages, requests } = await crawl(browser, {
      base, start: fileUrl(site, 'index.html'), missingOk: allowedMissing(site),
    });
    assert.deepEqual(problems, []);
    for (const p of mustReach(site, guidelines)) assert.ok(pages.includes(p), `${p} is not reachable from index.html`);
    assert.ok(requests.length >= pages.length, 'requests were not recorded');
    const outside = requests.filter(([, r]) => !insideSite(r, base));
    assert.deepEqual(outside, []);
    assert.ok(requests.some(([, r]) => r.endsWith('/assets/style.css')), 'the stylesheet was never requested');
  });

  test('over HTTP under a sub-path: the same, and no request outside the prefix', async () => {
    const prefix = '/trust/paediatrics/guidelines/';
    const server = await serveDir(site, prefix);
    try {
      const { problems, pages, requests } = await crawl(browser, {
        base: server.url, start: `${server.url}index.html`, missingOk: allowedMissing(site),
      });
      assert.deepEqual(problems, []);
      for (const p of mustReach(site, guidelines)) assert.ok(pages.includes(p), `${p} is not reachable from index.html`);
      const outside = requests.filter(([, r]) => !insideSite(r, server.url));
      assert.deepEqual(outside, []);
      // What the server saw, including requests the browser makes on its own (a favicon).
      assert.ok(server.log.length >= pages.length);
      assert.deepEqual(server.log.filter((p) => !p.startsWith(prefix)), []);
    } finally {
      await server.close();
    }
  });

  test('with --drafts, the draft pages are linked and resolve too', async () => {
    const { problems, pages } = await crawl(browser, {
      base: dirUrl(drafts), start: fileUrl(drafts, 'index.html'), missingOk: allowedMissing(drafts),
    });
    assert.deepEqual(problems, []);
    for (const g of guidelines.filter((x) => x.status === 'draft')) assert.ok(pages.includes(g.page), `${g.page} not reachable`);
  });
});

// ---------------------------------------------------------------------------------------------
// 3: accessibility
// ---------------------------------------------------------------------------------------------

/** What kind of page is open: used to prove that every page type was checked. */
async function pageKinds(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const path = window.location.pathname;
    const kinds = [];
    if (/\/index\.html$/.test(path) && document.querySelector('.section-list')) kinds.push('home');
    if (/\/[^/]+\/index\.html$/.test(path) && !document.querySelector('.section-list')) kinds.push('section');
    if (/\/networks\/[^/]+\.html$/.test(path)) kinds.push('network');
    if (/\/a-z\.html$/.test(path)) kinds.push('a-z');
    if (/\/404\.html$/.test(path)) kinds.push('404');
    const status = main?.dataset.status;
    const review = main?.dataset.reviewStatus;
    if (status === 'withdrawn') kinds.push('withdrawn');
    if (status === 'draft') kinds.push('draft');
    if (status && status !== 'withdrawn') {
      kinds.push('guideline');
      if (review === 'overdue') kinds.push('guideline-overdue');
      if (review === 'due') kinds.push('guideline-due');
      if (document.querySelector('nav.toc')) kinds.push('guideline-contents');
      if (document.querySelector('main table') && document.querySelector('main .footnote-definition, main .footnotes')) {
        kinds.push('guideline-table-footnotes');
      }
    }
    return kinds;
  });
}

describe('accessibility', () => {
  test('axe-core finds no WCAG 2.0/2.1/2.2 A or AA or best-practice violation on any page type', async () => {
    const prefix = '/a11y/';
    const servers = [await serveDir(site, prefix), await serveDir(drafts, prefix)];
    const targets = [
      ...htmlFiles(site).map((f) => `${servers[0].url}${f}`),
      // From the --drafts build, the pages that show drafts.
      ...htmlFiles(drafts)
        .filter((f) => fs.readFileSync(path.join(drafts, f), 'utf8').includes('data-status="draft"'))
        .map((f) => `${servers[1].url}${f}`),
    ];
    const kinds = new Set();
    const found = [];
    try {
      const { page, context, errors } = await open(browser);
      for (const url of targets) {
        errors.length = 0;
        await page.goto(url, { waitUntil: 'load' });
        for (const k of await pageKinds(page)) kinds.add(k);
        assert.deepEqual(errors, [], `${url} logged errors`);
        const v = await axeViolations(page);
        if (v.length) found.push({ url, violations: v });
      }
      await context.close();
    } finally {
      for (const s of servers) await s.close();
    }
    assert.deepEqual(found, []);
    for (const k of ['home', 'section', 'guideline', 'guideline-overdue', 'guideline-due', 'guideline-contents',
      'guideline-table-footnotes', 'network', 'a-z', '404', 'withdrawn', 'draft']) {
      assert.ok(kinds.has(k), `no ${k} page was checked`);
    }
  });

  /** Tabs through `rel` and returns the focusable elements whose look does not change on focus. */
  async function invisibleFocus(rel) {
    const { page } = await view(site, rel);
    const count = await page.evaluate(() => {
      const look = (e) => {
        const s = getComputedStyle(e);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color,
          s.textDecorationLine, s.borderColor].join('|');
      };
      const all = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), summary')];
      all.forEach((e, i) => { e.dataset.focusIndex = String(i); e.dataset.unfocused = look(e); });
      window.focusLook = look;
      return all.length;
    });
    const bad = [];
    const reached = new Set();
    for (let i = 0; i < count + 5; i++) {
      await page.keyboard.press('Tab');
      const r = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || !e.dataset.focusIndex) return null;
        // eslint-disable-next-line no-undef
        return { i: e.dataset.focusIndex, same: focusLook(e) === e.dataset.unfocused, what: `${e.tagName.toLowerCase()} ${e.getAttribute('href') ?? e.id ?? ''} ${e.textContent.trim().slice(0, 40)}` };
      });
      if (!r) continue;
      if (reached.has(r.i)) break;
      reached.add(r.i);
      if (r.same) bad.push(r.what);
    }
    return { bad, reached: reached.size, count };
  }

  for (const [name, pick] of [
    ['home page', () => 'index.html'],
    ['guideline page with a table and contents', () => {
      const g = guidelines.find((x) => x.status === 'current' && fs.readFileSync(path.join(site, x.page), 'utf8').includes('table-wrap')
        && fs.readFileSync(path.join(site, x.page), 'utf8').includes('class="toc"'));
      assert.ok(g, 'no guideline with a table and contents list');
      return g.page;
    }],
    ['A to Z page', () => 'a-z.html'],
  ]) {
    test(`focus is visible on every focusable element of the ${name}`, async () => {
      const { bad, reached, count } = await invisibleFocus(pick());
      assert.ok(reached >= 3, `Tab reached only ${reached} elements`);
      assert.ok(reached >= count - 1, `Tab reached ${reached} of ${count} focusable elements`);
      assert.deepEqual(bad, []);
    });
  }

  test('the skip link is the first thing Tab reaches, it shows, and it moves to <main>', async () => {
    const { page } = await view(site, one(listedIn(guidelines, false), 'guideline').page);
    await page.keyboard.press('Tab');
    const link = await page.evaluate(() => {
      const e = document.activeElement;
      const r = e.getBoundingClientRect();
      return { text: e.textContent, href: e.getAttribute('href'), inView: r.left >= 0 && r.top >= 0 && r.width > 0 };
    });
    assert.equal(link.text, 'Skip to main content');
    assert.ok(link.inView, 'the focused skip link is off screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'MAIN');
  });
});

// ---------------------------------------------------------------------------------------------
// 4: without JavaScript
// ---------------------------------------------------------------------------------------------

describe('without JavaScript', () => {
  test('every page renders its content, and the A to Z page lists every listed guideline', async () => {
    for (const rel of htmlFiles(site)) {
      const { page, errors } = await view(site, rel, { javaScriptEnabled: false });
      const info = await page.evaluate(() => ({
        h1: document.querySelector('main h1')?.textContent.trim() ?? '',
        text: document.querySelector('main')?.innerText.trim().length ?? 0,
        visible: document.querySelector('main')?.getBoundingClientRect().height ?? 0,
        stylesheet: getComputedStyle(document.body).fontFamily,
      }));
      assert.ok(info.h1.length > 0, `${rel}: no h1 in <main>`);
      assert.ok(info.text > 40 && info.visible > 100, `${rel}: <main> is empty or hidden`);
      assert.match(info.stylesheet, /^Arial/, `${rel}: the stylesheet did not apply`);
      assert.deepEqual(errors, []);
    }
    // Each guideline page shows its own body: its headings are there.
    for (const g of listedIn(guidelines, false)) {
      const { page } = await view(site, g.page, { javaScriptEnabled: false });
      const text = await page.evaluate(() => document.querySelector('main').innerText);
      for (const h of g.headings.slice(0, 3)) assert.ok(text.includes(h.replace(/[*_`]/g, '')), `${g.page}: heading ${h} missing`);
    }
    const { page } = await view(site, 'a-z.html', { javaScriptEnabled: false });
    const listed = await page.evaluate(() => [...document.querySelectorAll('main li[data-review-status] a')]
      .map((a) => ({ title: a.textContent.trim(), href: a.getAttribute('href') })));
    const want = listedIn(guidelines, false).map((g) => ({ title: g.title, href: g.page }));
    const byTitle = (a, b) => a.title.localeCompare(b.title);
    assert.deepEqual([...listed].sort(byTitle), [...want].sort(byTitle));
  });
});

// ---------------------------------------------------------------------------------------------
// 5: behaviour
// ---------------------------------------------------------------------------------------------

/** The list items of `rel`: [{title, href, review, status, tag}]. */
async function listItems(dir, rel) {
  const { page } = await view(dir, rel);
  const items = await page.evaluate(() => [...document.querySelectorAll('main li[data-review-status]')].map((li) => ({
    title: li.querySelector('a').textContent.trim(),
    href: li.querySelector('a').getAttribute('href'),
    review: li.dataset.reviewStatus,
    status: li.dataset.status,
    text: li.innerText.replace(/\s+/g, ' '),
    tagVisible: [...li.querySelectorAll('.tag')].some((t) => t.getBoundingClientRect().width > 0),
  })));
  return items;
}

/** The text each review status must show in a list, for guideline `g`. */
function reviewText(g) {
  if (g.review === 'overdue') return `Review overdue since ${longDate(g.reviewDate)}`;
  if (g.review === 'due') return `Review due ${longDate(g.reviewDate)}`;
  return `review ${longDate(g.reviewDate)}`;
}

describe('behaviour', () => {
  test('an overdue guideline page opens with the warning callout and says so on <main>', async () => {
    const overdue = guidelines.filter((g) => g.review === 'overdue' && g.status === 'current');
    one(overdue, 'overdue guideline');
    for (const g of overdue) {
      const { page } = await view(site, g.page);
      const r = await page.evaluate(() => {
        const main = document.querySelector('main');
        const first = main.firstElementChild;
        const s = getComputedStyle(first);
        return {
          review: main.dataset.reviewStatus,
          status: main.dataset.status,
          firstText: first.innerText,
          firstClass: first.className,
          background: s.backgroundColor,
          dismiss: first.querySelectorAll('button, [role=button], details').length,
          top: first.getBoundingClientRect().top < document.querySelector('main h1').getBoundingClientRect().top,
        };
      });
      assert.equal(r.review, 'overdue', g.page);
      assert.equal(r.status, 'current', g.page);
      assert.ok(r.firstText.includes(`Review overdue since ${longDate(g.reviewDate)}`), `${g.page}: ${r.firstText}`);
      assert.match(r.firstClass, /warning-callout/);
      assert.equal(r.background, 'rgb(255, 249, 196)', 'not in the NHS warning callout colour');
      assert.equal(r.dismiss, 0, 'the warning can be dismissed');
      assert.ok(r.top, 'the warning is not above the title');
    }
  });

  test('a due guideline page shows the quieter notice, a current one neither', async () => {
    const due = one(guidelines.filter((g) => g.review === 'due' && g.status === 'current'), 'due guideline');
    const current = one(guidelines.filter((g) => g.review === 'current' && g.status === 'current'), 'current guideline');
    for (const g of [due, current]) {
      const { page } = await view(site, g.page);
      const r = await page.evaluate(() => ({
        review: document.querySelector('main').dataset.reviewStatus,
        text: document.querySelector('main').innerText,
        callouts: document.querySelectorAll('main .warning-callout').length,
        notice: document.querySelector('main .review-due')?.innerText ?? null,
      }));
      assert.equal(r.review, g.review, g.page);
      assert.equal(r.callouts, 0, `${g.page} has a warning callout`);
      assert.ok(!r.text.includes('Review overdue'), g.page);
      if (g.review === 'due') {
        assert.ok(r.notice?.includes(`due for review on ${longDate(g.reviewDate)}`), `${g.page}: ${r.notice}`);
      } else {
        assert.equal(r.notice, null);
      }
    }
  });

  test('a withdrawn guideline keeps its page, says it was withdrawn, shows no clinical content, and is in no list', async () => {
    const withdrawn = guidelines.filter((g) => g.status === 'withdrawn');
    one(withdrawn, 'withdrawn guideline');
    for (const g of withdrawn) {
      const { page } = await view(site, g.page);
      const r = await page.evaluate(() => ({
        status: document.querySelector('main').dataset.status,
        // Its text without the version table (with history), which is the record, not content.
        text: (() => {
          const main = document.querySelector('main').cloneNode(true);
          main.querySelector('section.versions')?.remove();
          return main.innerText;
        })(),
        // The version table (with history) is the record of its versions, not clinical content.
        bodies: document.querySelectorAll('.guideline-body, main table:not(.version-table), nav.toc').length,
      }));
      assert.equal(r.status, 'withdrawn');
      assert.match(r.text, /has been withdrawn/);
      assert.match(r.text, /must not be used/);
      assert.equal(r.bodies, 0);
      // It says why and links the guideline to use instead (`replaced_by`), which exists.
      assert.match(r.text, /Reason: \S/);
      const instead = await page.evaluate(() => {
        const a = document.querySelector('main .replaced-by a');
        return a && { href: a.getAttribute('href'), text: a.textContent };
      });
      assert.ok(instead, `${g.page} links no replacement`);
      assert.match(r.text, new RegExp(`Use instead: ${instead.text}`));
      const target = path.join(path.dirname(path.join(site, g.page)), instead.href);
      assert.ok(fs.existsSync(target), `${g.page} links ${instead.href}, not built`);
      assert.ok(g.headings.length > 0);
      for (const h of g.headings) assert.ok(!r.text.includes(h), `withdrawn page shows its heading ${h}`);
    }
    for (const rel of htmlFiles(site)) {
      const html = fs.readFileSync(path.join(site, rel), 'utf8');
      // A local adaptation's site (in a folder with a variance report) is judged as its own.
      const top = rel.split('/')[0];
      const own = fs.existsSync(path.join(site, top, 'variations.html')) ? rel.slice(top.length + 1) : rel;
      if (withdrawn.some((g) => g.page === own)) continue;
      // The archive and its pages are the record of what was published, withdrawn ones included.
      if (own === 'archive.html' || /data-status="(superseded|moved)"/.test(html)) continue;
      for (const g of withdrawn) {
        const name = path.basename(g.page);
        assert.ok(!html.includes(`${name}"`), `${rel} links the withdrawn ${g.page}`);
      }
    }
  });

  test('drafts are left out without --drafts, and marked DRAFT everywhere with it', async () => {
    const draftGs = guidelines.filter((g) => g.status === 'draft');
    one(draftGs, 'draft guideline');
    for (const g of draftGs) {
      assert.ok(!fs.existsSync(path.join(site, g.page)), `${g.page} built without --drafts`);
      for (const rel of htmlFiles(site)) {
        assert.ok(!fs.readFileSync(path.join(site, rel), 'utf8').includes(g.title), `${rel} mentions draft ${g.title}`);
      }
      const { page } = await view(drafts, g.page);
      const r = await page.evaluate(() => ({
        status: document.querySelector('main').dataset.status,
        h1: document.querySelector('main h1').innerText,
        text: document.querySelector('main').innerText,
      }));
      assert.equal(r.status, 'draft');
      assert.match(r.h1, /DRAFT/);
      for (const rel of ['a-z.html', `${g.section}/index.html`]) {
        const item = (await listItems(drafts, rel)).find((i) => i.title === g.title);
        assert.ok(item, `${rel} does not list draft ${g.title}`);
        assert.equal(item.status, 'draft');
        assert.match(item.text, /DRAFT/, `${rel}: draft not marked`);
      }
    }
  });

  test('the A to Z page lists every listed guideline, alphabetically, each with its review status', async () => {
    const items = await listItems(site, 'a-z.html');
    const titles = items.map((i) => i.title);
    const sorted = [...titles].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
    assert.deepEqual(titles, sorted, 'not alphabetical');
    assert.deepEqual([...titles].sort(), listedIn(guidelines, false).map((g) => g.title).sort());
    const { page } = await view(site, 'a-z.html');
    const letters = await page.evaluate(() => [...document.querySelectorAll('main h2')].map((h) => h.textContent.trim()));
    assert.deepEqual(letters, [...new Set(titles.map((t) => t[0].toUpperCase()))]);
  });

  test('every list on home, section, network and A to Z pages shows each guideline\'s review status', async () => {
    const lists = ['a-z.html', ...htmlFiles(site).filter((f) => /^(networks\/|[^/]+\/index\.html$)/.test(f))];
    let checked = 0;
    for (const rel of lists) {
      for (const item of await listItems(site, rel)) {
        const g = guidelines.find((x) => x.title === item.title);
        assert.ok(g, `${rel}: unknown guideline ${item.title}`);
        assert.equal(item.review, g.review, `${rel}: ${g.title}`);
        assert.ok(item.text.includes(reviewText(g)), `${rel}: ${g.title} shows "${item.text}", wanted "${reviewText(g)}"`);
        assert.ok(item.tagVisible, `${rel}: ${g.title}'s status tag is hidden`);
        checked++;
      }
    }
    assert.ok(checked >= 3 * listedIn(guidelines, false).length, `only ${checked} list items checked`);
    // The home page shows the overdue and due counts per section.
    const { page } = await view(site, 'index.html');
    const home = await page.evaluate(() => document.querySelector('main').innerText);
    const overdue = listedIn(guidelines, false).filter((g) => g.review === 'overdue').length;
    assert.ok(home.includes(`${overdue} overdue for review`), home);
  });

  test('each section page lists its own guidelines, a guideline page shows only its own section\'s previous and next', async () => {
    const { sections } = readBookToml(repoRoot);
    for (const s of sections) {
      const items = await listItems(site, `${s.slug}/index.html`);
      const mine = listedIn(guidelines, false).filter((g) => g.section === s.slug).sort(bookOrder);
      assert.deepEqual(items.map((i) => i.title), mine.map((g) => g.title), `${s.slug}: not in book order`);
      for (const [i, g] of mine.entries()) {
        const { page } = await view(site, g.page);
        const nav = await page.evaluate(() => ({
          prev: document.querySelector('nav.pagination a[rel=prev]')?.getAttribute('href') ?? null,
          next: document.querySelector('nav.pagination a[rel=next]')?.getAttribute('href') ?? null,
          links: document.querySelectorAll('nav.pagination a').length,
        }));
        const rel = (x) => (x ? `../${x.page}` : null);
        assert.deepEqual(nav, {
          prev: rel(mine[i - 1]), next: rel(mine[i + 1]), links: (i > 0) + (i < mine.length - 1),
        }, g.page);
      }
    }
  });

  test('the home page has a search box that submits to search.html?q=', async () => {
    const server = await serveDir(site, '/sub/');
    const { page, context } = await open(browser);
    try {
      await page.goto(`${server.url}index.html`);
      await page.fill('main input[type=search]', 'croup');
      await Promise.all([page.waitForURL(/search\.html\?q=croup$/), page.press('main input[type=search]', 'Enter')]);
      assert.equal(page.url(), `${server.url}search.html?q=croup`);
    } finally {
      await context.close();
      await server.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 6: a guideline page does not grow with the book
// ---------------------------------------------------------------------------------------------

// The same guideline, put into synthetic books of 50 and of 500 guidelines.
const PROBE = `---
title: Page weight probe
section: Respiratory
network: PiP Respiratory Network
review_date: 2028-01-31
version: "1.0"
---

## Background

A fixed guideline added to generated books to measure its page in each.

| Age | Respiratory rate |
|---|---|
| Under 1 year | 30-40 |
| 1 to 2 years | 25-35 |

## Management

- Assess
- Treat[^1]

[^1]: A footnote.
`;

describe('page weight', () => {
  test('a guideline page is the same size in a book of 50 and of 500 guidelines', () => {
    const sizes = {};
    const links = {};
    for (const n of [50, 500]) {
      const book = fs.mkdtempSync(path.join(os.tmpdir(), `wardbook-corpus-${n}-`));
      tmpDirs.push(book);
      execFileSync('python3', [path.join(repoRoot, 'scripts', 'gen_corpus.py'), '--n', String(n), '--seed', '1', '--out', book], { stdio: 'ignore' });
      fs.writeFileSync(path.join(book, 'guidelines', 'respiratory', 'page-weight-probe.md'), PROBE);
      const out = buildBook(book, ['--no-pdf']);
      tmpDirs.push(out);
      const html = fs.readFileSync(path.join(out, 'respiratory', 'page-weight-probe.html'), 'utf8');
      sizes[n] = Buffer.byteLength(html);
      links[n] = (html.match(/<a /g) || []).length;
      const pages = htmlFiles(out).filter((f) => /^[^/]+\/(?!index\.html)[^/]+\.html$/.test(f) && !f.startsWith('networks/'));
      assert.ok(pages.length >= n, `only ${pages.length} guideline pages for n=${n}`);
    }
    // Only the previous/next titles (and the book title, which names n) may differ.
    assert.ok(Math.abs(sizes[500] - sizes[50]) < 400, `page is ${sizes[50]} bytes in 50, ${sizes[500]} in 500`);
    assert.equal(links[500], links[50]);
    assert.ok(sizes[50] < 20000, `the probe page is ${sizes[50]} bytes`);
  });
});
