// Search in headless Chromium: the relevance suite against the sample book and the larger
// fixture book (tests/fixtures/search-large), from file:// and over HTTP, plus drafts and withdrawn
// guidelines never found, filters, keyboard use, no-match help, the page without JavaScript, the
// browser's normaliser agreeing with Rust's, no request leaving the site and no console error.
// Lay phrases in any word order and ambiguous abbreviations are checked on a small book of
// look-alikes (tests/fixtures/search-phrases) with the cases of tests/fixtures/search-phrases.json,
// and the heading-id and title rules against tests/fixtures/slug-cases.json, both shared with the
// Rust tests (tests/testsuite/search_phrases.rs).
// Run: cargo build && cd tests/browser && npm install && node --test search.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { buildBook, serveDir, fileUrl, launch, open, insideSite, repoRoot, axeViolations } from './lib/harness.mjs';

// [query, page expected among the first three results]
const SAMPLE = [
  // exact titles
  ['Bronchiolitis', 'respiratory/bronchiolitis.html'],
  ['Croup', 'respiratory/croup.html'],
  ['Head injury', 'emergency/head-injury.html'],
  ['Anaphylaxis', 'emergency/anaphylaxis.html'],
  ['Kawasaki disease', 'cardiology/kawasaki-disease.html'],
  ['Faltering growth', 'community/faltering-growth.html'],
  // prefixes (results while typing)
  ['anaphyl', 'emergency/anaphylaxis.html'],
  ['bronchio', 'respiratory/bronchiolitis.html'],
  ['meningi', 'infection/meningitis.html'],
  ['gastroent', 'gastroenterology/gastroenteritis.html'],
  ['kawas', 'cardiology/kawasaki-disease.html'],
  // typos
  ['bronchiolitus', 'respiratory/bronchiolitis.html'],
  ['anaphylaxsis', 'emergency/anaphylaxis.html'],
  ['menigitis', 'infection/meningitis.html'],
  ['diabetic ketoacidossis', 'diabetes-endocrinology/diabetic-ketoacidosis.html'],
  ['constipaton', 'community/constipation.html'],
  ['pneumonai', 'respiratory/pneumonia.html'],
  ['kawasakki', 'cardiology/kawasaki-disease.html'],
  // abbreviations
  ['DKA', 'diabetes-endocrinology/diabetic-ketoacidosis.html'],
  ['UTI', 'infection/urinary-tract-infection.html'],
  ['NAI', 'child-protection/non-accidental-injury.html'],
  ['GORD', 'gastroenterology/gord-infants.html'],
  ['T1DM', 'diabetes-endocrinology/new-type-1-diabetes.html'],
  ['GCS', 'emergency/head-injury.html'],
  ['D&V', 'gastroenterology/gastroenteritis.html'],
  ['LP', 'infection/meningitis.html'],
  ['CSE', 'neurology/status-epilepticus.html'],
  // lay terms
  ['fits', 'neurology/febrile-seizures.html'],
  ['fits', 'neurology/status-epilepticus.html'],
  ['bedwetting', 'community/nocturnal-enuresis.html'],
  ['tummy ache', 'gastroenterology/acute-abdominal-pain.html'],
  ['water infection', 'infection/urinary-tract-infection.html'],
  ['high temperature', 'infection/febrile-child.html'],
  ['temperature high', 'infection/febrile-child.html'],
  ['temperatures high', 'infection/febrile-child.html'],
  ['yellow baby', 'neonatal/neonatal-jaundice.html'],
  ['failure to thrive', 'community/faltering-growth.html'],
  ['jabs', 'community/immunisation-catch-up.html'],
  ['wheezy', 'respiratory/asthma-acute.html'],
  // drugs: UK, US and brand names
  ['salbutamol neb', 'respiratory/asthma-acute.html'],
  ['epinephrine', 'emergency/anaphylaxis.html'],
  ['albuterol', 'respiratory/asthma-acute.html'],
  // phrases from the body
  ['traffic light', 'infection/febrile-child.html'],
  ['non-blanching rash', 'infection/meningitis.html'],
  ['phototherapy', 'neonatal/neonatal-jaundice.html'],
  ['oral rehydration', 'gastroenterology/gastroenteritis.html'],
  ['coronary artery aneurysm', 'cardiology/kawasaki-disease.html'],
  ['enuresis alarm', 'community/nocturnal-enuresis.html'],
  // American spellings
  ['pediatric GCS', 'emergency/head-injury.html'],
  ['esophageal reflux', 'gastroenterology/gord-infants.html'],
  ['diarrhea', 'gastroenterology/gastroenteritis.html'],
  ['hyperbilirubinemia', 'neonatal/neonatal-jaundice.html'],
];

const LARGE = [
  // ambiguous abbreviations find every meaning
  ['ASD', 'cardiology/atrial-septal-defect.html'],
  ['ASD', 'community/autism-assessment-pathway.html'],
  ['CP', 'neurology/cerebral-palsy-spasticity.html'],
  ['CP medical', 'child-protection/child-protection-medical.html'],
  ['OM', 'infection/acute-otitis-media.html'],
  ['OM', 'infection/acute-osteomyelitis.html'],
  ['PE', 'respiratory/pulmonary-embolism.html'],
  ['GBS', 'neonatal/group-b-streptococcus.html'],
  ['GBS', 'neurology/guillain-barre-syndrome.html'],
  // abbreviations
  ['CMPA', 'gastroenterology/cows-milk-protein-allergy.html'],
  ['HUS', 'renal/haemolytic-uraemic-syndrome.html'],
  ['DSH', 'mental-health/self-harm.html'],
  ['NAS', 'neonatal/neonatal-abstinence-syndrome.html'],
  ['SVT', 'cardiology/supraventricular-tachycardia.html'],
  ['VZV', 'infection/varicella.html'],
  // lay terms and other names
  ['autistic', 'community/autism-assessment-pathway.html'],
  ['botox', 'neurology/cerebral-palsy-spasticity.html'],
  ['ear infection', 'infection/acute-otitis-media.html'],
  ['glue ear', 'infection/acute-otitis-media.html'],
  ['bone infection', 'infection/acute-osteomyelitis.html'],
  ['blood clot in lung', 'respiratory/pulmonary-embolism.html'],
  ['whooping cough', 'infection/pertussis.html'],
  ['chicken pox', 'infection/varicella.html'],
  ['slapped cheek', 'infection/parvovirus-b19.html'],
  ['fifth disease', 'infection/parvovirus-b19.html'],
  ['milk allergy', 'gastroenterology/cows-milk-protein-allergy.html'],
  ['twisted testicle', 'surgery/acute-scrotum.html'],
  ['self harm', 'mental-health/self-harm.html'],
  ['anorexia', 'mental-health/eating-disorders-medical.html'],
  ['hypo', 'diabetes-and-endocrinology/hypoglycaemia-in-diabetes.html'],
  ['low blood sugar', 'diabetes-and-endocrinology/hypoglycaemia-in-diabetes.html'],
  ['sugar low', 'diabetes-and-endocrinology/hypoglycaemia-in-diabetes.html'],
  ['low sugars', 'diabetes-and-endocrinology/hypoglycaemia-in-diabetes.html'],
  ['blood sugar low', 'diabetes-and-endocrinology/hypoglycaemia-in-diabetes.html'],
  ['opioid withdrawal baby', 'neonatal/neonatal-abstinence-syndrome.html'],
  ['nits', 'community/head-lice.html'],
  ['facial palsy', 'neurology/bells-palsy.html'],
  ["nursemaid's elbow", 'emergency/pulled-elbow.html'],
  ['near drowning', 'emergency/drowning-and-immersion.html'],
  ['EpiPen', 'emergency/adrenaline-auto-injectors.html'],
  ['epinephrine autoinjector', 'emergency/adrenaline-auto-injectors.html'],
  // accents, spelling and typos
  ['Guillain Barre', 'neurology/guillain-barre-syndrome.html'],
  ['guillan barre', 'neurology/guillain-barre-syndrome.html'],
  ['celiac', 'gastroenterology/coeliac-disease.html'],
  ['anemia iron', 'haematology-and-oncology/iron-deficiency-anaemia.html'],
  ['hemolytic uremic syndrome', 'renal/haemolytic-uraemic-syndrome.html'],
  ['nefrotic syndrom', 'renal/nephrotic-syndrome.html'],
  ['hirschprung', 'surgery/hirschsprung-disease.html'],
  ['valsalva maneuver', 'cardiology/supraventricular-tachycardia.html'],
  ['bells palsy', 'neurology/bells-palsy.html'],
  // titles and prefixes among generated look-alikes
  ['Head injury', 'neurology/head-injury.html'],
  ['paracetamol overdose', 'emergency/paracetamol-overdose.html'],
  ['button battery', 'gastroenterology/initial-management-of-button-battery-ingestion.html'],
  ['eczema herpeticum', 'infection/eczema-herpeticum.html'],
  ['Kaposi varicelliform eruption', 'infection/eczema-herpeticum.html'],
  ['nephrotic', 'renal/nephrotic-syndrome.html'],
  ['asthma plan', 'respiratory/asthma-personalised-plan.html'],
  // phrases from the body
  ['secundum defect', 'cardiology/atrial-septal-defect.html'],
  ['body maps', 'child-protection/child-protection-medical.html'],
  ['tissue transglutaminase', 'gastroenterology/coeliac-disease.html'],
  ['low ferritin', 'haematology-and-oncology/iron-deficiency-anaemia.html'],
  ['inspiratory whoop', 'infection/pertussis.html'],
  ['blue dot sign', 'surgery/acute-scrotum.html'],
  ['shiga toxin', 'renal/haemolytic-uraemic-syndrome.html'],
  ['refeeding', 'mental-health/eating-disorders-medical.html'],
];

// Pages that must never be results (with the queries that would find them if they were indexed).
const NEVER = {
  sample: { pages: ['neonatal/neonatal-hypoglycaemia.html', 'respiratory/bronchiolitis-oxygen-thresholds.html'],
    titles: ['Neonatal hypoglycaemia', 'Bronchiolitis oxygen thresholds'],
    queries: ['neonatal hypoglycaemia', 'hypoglycaemia', 'low blood sugar', 'dextrose', 'Bronchiolitis oxygen thresholds', 'superseded', 'oxygen saturation target', 'withdrawn'] },
  large: { pages: ['emergency/dexmedetomidine-sedation.html', 'infection/codeine-after-tonsillectomy.html'],
    titles: ['Intranasal dexmedetomidine', 'Codeine after tonsillectomy'],
    queries: ['dexmedetomidine', 'intranasal sedation MRI', 'codeine tonsillectomy', 'codeine', 'withdrawn'] },
};

let browser;
const sites = {};
const copies = [];

/** A copy of the book at `dir` (the `names` in it) whose search index is written in parts. */
function splitCopy(dir, names) {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'wardbook-parts-'));
  copies.push(to);
  for (const n of names) fs.cpSync(path.join(dir, n), path.join(to, n), { recursive: true });
  fs.appendFileSync(path.join(to, 'book.toml'), '\n[search]\nsplit_kb = 1\n');
  return to;
}
const servers = {};

before(async () => {
  // Drafts are included in the build (--drafts) so that search has to leave them out itself.
  sites.sample = buildBook(repoRoot, ['--no-pdf', '--drafts']);
  sites.large = buildBook(path.join(repoRoot, 'tests/fixtures/search-large'), ['--no-pdf', '--drafts']);
  sites.phrases = buildBook(path.join(repoRoot, 'tests/fixtures/search-phrases'), ['--no-pdf']);
  // The same two books with the index written in parts, as a large book's is.
  sites.sampleParts = buildBook(splitCopy(repoRoot, ['book.toml', 'guidelines']), ['--no-pdf', '--drafts']);
  sites.largeParts = buildBook(splitCopy(path.join(repoRoot, 'tests/fixtures/search-large'), ['book.toml', 'guidelines']), ['--no-pdf', '--drafts']);
  servers.sample = await serveDir(sites.sample, '/guidelines/');
  servers.large = await serveDir(sites.large);
  servers.sampleParts = await serveDir(sites.sampleParts);
  servers.largeParts = await serveDir(sites.largeParts);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of Object.values(servers)) await s.close();
  for (const d of Object.values(sites).concat(copies)) fs.rmSync(d, { recursive: true, force: true });
});

function base(book, mode) {
  return mode === 'http' ? servers[book].url : fileUrl(sites[book], '');
}

function searchUrl(book, mode, query = '', extra = '') {
  const u = (mode === 'http' ? servers[book].url + 'search.html' : fileUrl(sites[book], 'search.html'));
  return u + (query || extra ? '?' + (query ? 'q=' + encodeURIComponent(query) : '') + extra : '');
}

/** Waits until the page shows the results of `query`; returns the result links' hrefs. */
async function resultsFor(page, query) {
  // Results show first from the dictionary; headings and snippets follow (aria-busy while they load).
  await page.waitForFunction((q) => {
    const s = document.getElementById('search-status').textContent;
    return s.includes('for “' + q + '”') && document.getElementById('search-results').getAttribute('aria-busy') !== 'true';
  }, query, { timeout: 10000 });
  return page.$$eval('#search-results li .search-result-title a', (as) => as.map((a) => a.getAttribute('href')));
}

/** Types `query` into the search box (as a user would) and returns the result hrefs. */
async function typeQuery(page, query) {
  await page.fill('#q', query);
  return resultsFor(page, query);
}

function assertClean(book, mode, errors, requests) {
  assert.deepEqual(errors, [], 'console errors');
  const outside = requests.filter((r) => !insideSite(r, base(book, mode)));
  assert.deepEqual(outside, [], 'requests that left the site');
}

for (const [book, cases] of [['sample', SAMPLE], ['large', LARGE]]) {
  for (const mode of ['file', 'http']) {
    test(`relevance: ${cases.length} queries on the ${book} book over ${mode}`, async () => {
      const { page, context, errors, requests } = await open(browser);
      await page.goto(searchUrl(book, mode, cases[0][0]));
      const misses = [];
      for (const [i, [query, want]] of cases.entries()) {
        const hrefs = i === 0 ? await resultsFor(page, query) : await typeQuery(page, query);
        const top = hrefs.slice(0, 3).map((h) => h.split('#')[0]);
        if (!top.includes(want)) misses.push(`${query} → wanted ${want}, got ${JSON.stringify(hrefs.slice(0, 5))}`);
        for (const bad of NEVER[book].pages) assert.ok(!hrefs.some((h) => h.startsWith(bad)), `${query} found ${bad}`);
      }
      assert.deepEqual(misses, [], `${misses.length} queries missed the top 3`);
      assertClean(book, mode, errors, requests);
      await context.close();
    });
  }
}

/** Every query's ranked documents (number, score, anchor) and first ten results as shown, on `book`'s site. */
async function everything(book, queries) {
  const { page, context, errors, requests } = await open(browser);
  await page.goto(servers[book].url + 'search.html');
  const out = await page.evaluate(async (qs) => {
    const all = [];
    for (const [q, f] of qs) {
      const r = await window.wardbookSearch.query(q, f);
      const shown = await window.wardbookSearch.describe(r, 0, 10);
      all.push({ q, f, ranked: r.results.map((x) => [x.doc, x.score, x.anchor]), shown, notes: r.plan.notes });
    }
    return all;
  }, queries);
  const loaded = requests.filter((u) => u.includes('/search/')).map((u) => u.split('/search/')[1].split('?')[0]);
  await context.close();
  assert.deepEqual(errors, [], 'console errors');
  return { out, loaded };
}

// A large book's index is written in parts (src/render/search/split.rs); the relevance suite must
// give exactly the same results from them: the same documents, scores, headings and snippets.
for (const [book, cases] of [['sample', SAMPLE], ['large', LARGE]]) {
  test(`an index in parts gives the same results as one file (${book} book)`, async () => {
    const parts = path.join(sites[book + 'Parts'], 'search');
    assert.ok(fs.existsSync(path.join(parts, 'words-1.js')), 'the copy\'s index is in parts');
    assert.ok(fs.existsSync(path.join(parts, 'meta-1.js')));
    assert.ok(!fs.existsSync(path.join(sites[book], 'search/words-0.js')), 'the book\'s own index is one file');
    const queries = cases.map(([q]) => [q, {}]).concat(NEVER[book].queries.map((q) => [q, {}]),
      [['fever', { section: 'infection' }], ['fever', { network: 'paediatric-neurosciences-network' }],
        ['zzkawasakiz', {}], ['a', {}], ['ch', {}]]);
    const one = await everything(book, queries);
    const split = await everything(book + 'Parts', queries);
    assert.ok(one.out.some((r) => r.ranked.length > 0));
    for (const [i, r] of one.out.entries()) assert.deepEqual(split.out[i], r, `${r.q} ${JSON.stringify(r.f)}`);
    // A query for a word loads a few runs of the dictionary and the document table, not all
    // (the suite's typos load the whole dictionary).
    const runs = fs.readdirSync(parts).filter((f) => /^(words|meta)-/.test(f));
    const fever = await everything(book + 'Parts', [['fever', {}]]);
    const used = new Set(fever.loaded.filter((f) => /^(words|meta)-/.test(f)));
    assert.ok(used.size > 0 && used.size * 2 < runs.length, `${used.size} of ${runs.length} runs loaded`);
    assert.ok(!fever.loaded.includes('facts-0.js') && !fever.loaded.includes('vocab-0.js'));
  });
}

test('an index in parts: results on the page, filters, and "did you mean" for no match', async () => {
  const { page, context, errors, requests } = await open(browser);
  await page.goto(fileUrl(sites.largeParts, 'search.html') + '?q=fever&section=infection');
  const hrefs = await resultsFor(page, 'fever');
  assert.ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith('infection/')), JSON.stringify(hrefs));
  assert.match(await page.textContent('#search-results li'), /Review|review/);
  await page.selectOption('#search-section', '');
  await typeQuery(page, 'zzkawasakiz');
  await page.waitForFunction(() => !document.getElementById('search-suggest').hidden);
  assert.match(await page.textContent('#search-suggest'), /kawasaki/);
  assert.deepEqual(errors, [], 'console errors');
  assert.deepEqual(requests.filter((r) => !r.startsWith('file://')), [], 'requests that left the site');
  await context.close();
});

/** The published guideline pages the built site's A to Z lists (drafts, which --drafts adds, left out). */
function publishedPages(site) {
  const html = fs.readFileSync(path.join(site, 'a-z.html'), 'utf8');
  return html.split('<li data-review-status=').slice(1)
    .filter((li) => li.includes('data-status="current"'))
    .map((li) => li.match(/href="([^"#]+)"/)[1]);
}

// The relevance suite means something only if what it wants is on the built site: each wanted page
// is a published guideline of that site, and every section of the site is wanted by some query.
test('relevance queries want published pages of each built site and reach every section', () => {
  for (const [book, cases] of [['sample', SAMPLE], ['large', LARGE]]) {
    const published = publishedPages(sites[book]);
    assert.ok(published.length > 0, `${book}: the A to Z lists no guideline`);
    const wanted = new Set(cases.map(([, want]) => want));
    const missing = [...wanted].filter((w) => !published.includes(w));
    assert.deepEqual(missing, [], `${book}: wanted pages that are not published guidelines of the built site`);
    const covered = new Set([...wanted].map((w) => w.split('/')[0]));
    const sections = [...new Set(published.map((p) => p.split('/')[0]))];
    assert.deepEqual(sections.filter((s) => !covered.has(s)), [], `${book}: sections no relevance query reaches`);
  }
});

for (const book of ['sample', 'large']) {
  test(`drafts and withdrawn guidelines are never results (${book} book, built with --drafts)`, async () => {
    const never = NEVER[book];
    // They were built (a draft page exists, a withdrawn notice exists)…
    for (const p of never.pages) assert.ok(fs.existsSync(path.join(sites[book], p)), `${p} was not built at all`);
    // …but no index file mentions them…
    const dir = path.join(sites[book], 'search');
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const t of never.titles) assert.ok(!text.includes(t), `${f} contains "${t}"`);
      for (const p of never.pages) assert.ok(!text.includes(path.basename(p, '.html')), `${f} mentions ${p}`);
    }
    // …and no query finds them.
    const { page, context, errors, requests } = await open(browser);
    await page.goto(searchUrl(book, 'http', never.queries[0]));
    for (const [i, q] of never.queries.entries()) {
      const hrefs = i === 0 ? await resultsFor(page, q) : await typeQuery(page, q);
      for (const bad of never.pages) assert.ok(!hrefs.some((h) => h.startsWith(bad)), `${q} found ${bad}`);
    }
    assertClean(book, 'http', errors, requests);
    await context.close();
  });
}

test('results show section, network, review status (overdue flagged) and marked snippets', async () => {
  const { page, context, errors, requests } = await open(browser);
  await page.goto(searchUrl('sample', 'file', 'croup'));
  await resultsFor(page, 'croup');
  const first = await page.$eval('#search-results li', (li) => ({
    review: li.dataset.review, text: li.textContent, marks: [...li.querySelectorAll('.search-snippet mark')].map((m) => m.textContent),
  }));
  assert.equal(first.review, 'overdue');
  assert.match(first.text, /Review overdue since 30 September 2025/);
  assert.match(first.text, /Respiratory/);
  assert.match(first.text, /PiP Respiratory Network/);
  assert.ok(first.marks.length > 0, 'no marked words in the snippet');
  // A heading that matched best is linked to directly.
  const hrefs = await typeQuery(page, 'exchange transfusion');
  assert.equal(hrefs[0], 'neonatal/neonatal-jaundice.html#exchange-transfusion');
  assertClean('sample', 'file', errors, requests);
  await context.close();
});

test('the result count is announced to screen readers', async () => {
  const { page, context } = await open(browser);
  await page.goto(searchUrl('sample', 'file', 'fever'));
  await resultsFor(page, 'fever');
  const status = await page.$eval('#search-status', (s) => ({ role: s.getAttribute('role'), live: s.getAttribute('aria-live'), text: s.textContent }));
  assert.equal(status.role, 'status');
  assert.equal(status.live, 'polite');
  const n = await page.$$eval('#search-results li', (l) => l.length);
  assert.match(status.text, /^\d+ guidelines found for “fever”/);
  assert.ok(Number(status.text.split(' ')[0]) >= n && n > 0);
  await context.close();
});

test('filters by section and network, from the page and from the URL', async () => {
  const { page, context, errors, requests } = await open(browser);
  await page.goto(searchUrl('large', 'http', 'fever'));
  await resultsFor(page, 'fever');
  const count = async () => Number((await page.textContent('#search-status')).split(' ')[0]);
  const all = await count();
  await page.selectOption('#search-section', 'infection');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.includes(' in Infection'));
  const inInfection = await count();
  assert.ok(inInfection > 0 && inInfection < all, `${inInfection} of ${all}`);
  for (const s of await page.$$eval('#search-results li', (l) => l.map((li) => li.dataset.section))) assert.equal(s, 'infection');
  assert.match(await page.evaluate(() => location.search), /section=infection/);
  await page.selectOption('#search-section', '');
  await page.selectOption('#search-network', 'paediatric-neurosciences-network');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('Neurosciences'));
  for (const n of await page.$$eval('#search-results li', (l) => l.map((li) => li.dataset.network))) assert.equal(n, 'paediatric-neurosciences-network');
  // A bookmarked URL with a filter gives the same list.
  await page.goto(searchUrl('large', 'http', 'fever', '&section=infection'));
  await page.waitForFunction(() => document.getElementById('search-status').textContent.includes(' in Infection'));
  assert.equal(await count(), inInfection);
  assert.equal(await page.inputValue('#search-section'), 'infection');
  assertClean('large', 'http', errors, requests);
  await context.close();
});

test('keyboard: "/" focuses the box, arrows move through results, Enter opens one', async () => {
  const { page, context, errors, requests } = await open(browser);
  await page.goto(searchUrl('sample', 'http', 'fits'));
  const hrefs = await resultsFor(page, 'fits');
  await page.focus('h1').catch(() => {});
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), hrefs[0]);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), hrefs[1]);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.press('ArrowDown');
  await Promise.all([page.waitForURL('**/' + hrefs[0]), page.keyboard.press('Enter')]);
  assertClean('sample', 'http', errors, requests);
  await context.close();
});

test('no match: says so, suggests the closest words and links to the A to Z', async () => {
  const { page, context, errors, requests } = await open(browser);
  await page.goto(searchUrl('sample', 'file', 'zzkawasakiz'));
  const hrefs = await resultsFor(page, 'zzkawasakiz');
  assert.deepEqual(hrefs, []);
  assert.match(await page.textContent('#search-status'), /No guidelines found/);
  assert.equal(await page.isVisible('#search-none'), true);
  assert.match(await page.textContent('#search-suggest'), /kawasaki/);
  assert.equal(await page.getAttribute('#search-suggest a', 'href'), 'search.html?q=kawasaki');
  assert.ok(await page.isVisible('#search-none a[href="a-z.html"]'));
  assertClean('sample', 'file', errors, requests);
  await context.close();
});

test('ambiguous abbreviations say which meanings were searched', async () => {
  const { page, context } = await open(browser);
  await page.goto(searchUrl('large', 'file', 'ASD'));
  await resultsFor(page, 'ASD');
  const notes = await page.textContent('#search-notes');
  assert.match(notes, /autism spectrum disorder/);
  assert.match(notes, /atrial septal defect/);
  await context.close();
});

test('without JavaScript the page explains itself and links to the A to Z', async () => {
  const { page, context, requests } = await open(browser, { javaScriptEnabled: false });
  await page.goto(searchUrl('sample', 'file', 'asthma'));
  assert.equal(await page.isVisible('#search-nojs'), true);
  assert.match(await page.textContent('#search-nojs'), /JavaScript/);
  assert.ok(await page.isVisible('#search-nojs a[href="a-z.html"]'));
  assert.ok(requests.every((r) => insideSite(r, base('sample', 'file'))));
  await context.close();
});

test('the search box on every page submits to search.html', async () => {
  const { page, context, errors, requests } = await open(browser);
  await page.goto(fileUrl(sites.sample, 'respiratory/croup.html'));
  await page.fill('#site-q', 'DKA');
  await Promise.all([page.waitForURL(/search\.html\?q=DKA/), page.press('#site-q', 'Enter')]);
  const hrefs = await resultsFor(page, 'DKA');
  assert.equal(hrefs[0].split('#')[0], 'diabetes-endocrinology/diabetic-ketoacidosis.html');
  assertClean('sample', 'file', errors, requests);
  await context.close();
});

test('the browser normalises words exactly as the Rust index does', async () => {
  const lines = fs.readFileSync(path.join(repoRoot, 'tests/fixtures/search-normalise.txt'), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#'));
  assert.ok(lines.length > 50);
  const { page, context } = await open(browser);
  await page.goto(searchUrl('sample', 'file'));
  const got = await page.evaluate(async (words) => {
    const out = [];
    for (const w of words) out.push((await window.wardbookSearch.normalise(w)) || '');
    return out;
  }, lines.map((l) => l.split('\t')[0]));
  assert.deepEqual(got, lines.map((l) => l.split('\t')[1] || ''));
  await context.close();
});

test('the search page with results passes axe (WCAG 2.2 AA)', async () => {
  const { page, context } = await open(browser);
  await page.goto(searchUrl('sample', 'http', 'asthma'));
  await resultsFor(page, 'asthma');
  // The sample banner sits outside the landmarks on every page (base.html, not search): not ours.
  const violations = (await axeViolations(page))
    .filter((v) => !(v.id === 'region' && v.nodes.every((n) => n === '.sample-banner')));
  assert.deepEqual(violations, []);
  await context.close();
});

const PHRASES = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures/search-phrases.json'), 'utf8'));
const SLUGS = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures/slug-cases.json'), 'utf8'));

test('lay phrases match in any word order and number, above their look-alikes', async () => {
  const { page, context, errors, requests } = await open(browser);
  const cases = PHRASES.relevance;
  await page.goto(searchUrl('phrases', 'file', cases[0].query));
  const misses = [];
  for (const [i, c] of cases.entries()) {
    const hrefs = (i === 0 ? await resultsFor(page, c.query) : await typeQuery(page, c.query)).map((h) => h.split('#')[0]);
    const at = hrefs.indexOf(c.want);
    if (at < 0 || at > 2) misses.push(`${c.query} → wanted ${c.want} in the top 3, got ${JSON.stringify(hrefs)}`);
    else if (c.above && hrefs.includes(c.above) && hrefs.indexOf(c.above) < at) misses.push(`${c.query} → ${c.above} above ${c.want}`);
  }
  assert.deepEqual(misses, []);
  assertClean('phrases', 'file', errors, requests);
  await context.close();
});

test('the browser finds the synonym runs the Rust lookup finds', async () => {
  const { page, context } = await open(browser);
  await page.goto(fileUrl(sites.phrases, 'search.html'));
  const got = await page.evaluate(async (qs) => {
    const out = [];
    for (const q of qs) out.push(await window.wardbookSearch.synonymRuns(q));
    return out;
  }, PHRASES.runs.map((c) => c.query));
  assert.deepEqual(got, PHRASES.runs.map((c) => c.runs));
  await context.close();
});

test('a short ambiguous abbreviation names every reading, each a link that searches it', async () => {
  const { page, context, errors, requests } = await open(browser);
  await page.goto(searchUrl('phrases', 'file', 'HI'));
  const hrefs = (await resultsFor(page, 'HI')).map((h) => h.split('#')[0]);
  // Both readings are searched, neither is taken silently.
  assert.ok(hrefs.includes('emergency/head-injury.html') && hrefs.includes('community/hearing-impairment.html'), JSON.stringify(hrefs));
  assert.match(await page.textContent('#search-notes'), /“HI” can mean: head injury, hearing impairment\./);
  const links = await page.$$eval('#search-notes a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
  assert.deepEqual(links, [['head injury', 'search.html?q=head+injury'], ['hearing impairment', 'search.html?q=hearing+impairment']]);
  const violations = (await axeViolations(page))
    .filter((v) => !(v.id === 'region' && v.nodes.every((n) => n === '.sample-banner')));
  assert.deepEqual(violations, [], 'the readings pass axe');
  // A reading in a longer query takes the abbreviation's place, and the filters are kept.
  await page.goto(searchUrl('phrases', 'file', 'CT after HI', '&section=emergency'));
  await resultsFor(page, 'CT after HI');
  assert.equal(await page.getAttribute('#search-notes a', 'href'), 'search.html?q=CT+after+head+injury&section=emergency');
  // Following a reading searches it alone.
  await page.goto(searchUrl('phrases', 'file', 'HI'));
  await resultsFor(page, 'HI');
  await Promise.all([page.waitForURL(/q=hearing\+impairment/), page.click('#search-notes a >> nth=1')]);
  const after = await resultsFor(page, 'hearing impairment');
  assert.equal(after[0].split('#')[0], 'community/hearing-impairment.html');
  assert.doesNotMatch(await page.textContent('#search-notes'), /can mean/);
  assertClean('phrases', 'file', errors, requests);
  await context.close();
});

test('heading ids and page stems follow the rules Rust ships (slug-cases.json)', async () => {
  const { page, context } = await open(browser);
  await page.goto(fileUrl(sites.phrases, 'search.html'));
  const got = await page.evaluate(async (c) => {
    const s = window.wardbookSearch;
    const slugs = [], pages = [], titles = [];
    for (const [text] of c.slugs) slugs.push(await s.slug(text));
    for (const p of c.pages) pages.push(await s.headingIds(p.shipped));
    for (const [title] of c.titles) titles.push(await s.titleSlug(title));
    return { slugs, pages, titles };
  }, SLUGS);
  assert.deepEqual(got.slugs, SLUGS.slugs.map((x) => x[1]));
  assert.deepEqual(got.pages, SLUGS.pages.map((p) => p.headings));
  assert.deepEqual(got.titles, SLUGS.titles.map((x) => x[1]));
  await context.close();
});
