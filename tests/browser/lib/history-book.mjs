// A history fixture for the browser tests: the sample book copied into a fresh git repository
// with `[history]` configured and a short, fixed history (the git CLI, with GIT_AUTHOR_DATE and
// GIT_COMMITTER_DATE set, so every run makes the same commits on the same dates):
//
//   2024-03-01  first commit: croup at version 2.1, Kawasaki disease at cardiology/kawasaki.md,
//               bronchiolitis oxygen thresholds still current, whooping cough (1.0) in the book
//   2024-09-16  croup 2.2                                   <- tag edition-2025-26
//   2025-06-02  croup 2.3 (the sample's text, with a change summary and approval)
//   2025-07-14  kawasaki.md renamed to kawasaki-disease.md (its page address changes)
//   2025-08-01  bronchiolitis oxygen thresholds withdrawn (the sample's text)
//   2025-10-06  whooping cough removed from the book
//
// `makeHistoryBook()` returns the book folder and `HISTORY`, what the fixture's history is, so
// tests assert against these facts rather than against the output.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './harness.mjs';

/** The tag of the previous edition, as book.toml's `[history] previous_edition` names it. */
export const PREVIOUS_EDITION = 'edition-2025-26';

/** What the fixture's history is: dates (ISO) and the pages each change concerns. */
export const HISTORY = {
  previousEdition: PREVIOUS_EDITION,
  croup: {
    source: 'guidelines/respiratory/croup.md',
    page: 'respiratory/croup.html',
    title: 'Croup',
    // Oldest first; `until` is when the next one came in.
    versions: [
      { version: '2.1', from: '2024-03-01', until: '2024-09-16', page: 'respiratory/croup/v2.1.html' },
      { version: '2.2', from: '2024-09-16', until: '2025-06-02', page: 'respiratory/croup/v2.2.html' },
      { version: '2.3', from: '2025-06-02', until: null, page: 'respiratory/croup.html' },
    ],
    // Text found only in the archived versions (and the current one), to tell them apart.
    text: {
      '2.1': 'SpO2 < 90%',
      '2.2': 'Observe for at least 1 hour after nebulised adrenaline',
      '2.3': 'Observe for at least 2 hours after nebulised adrenaline',
    },
    changeSummary: 'Observation after nebulised adrenaline extended from 1 hour to 2 hours.',
    approvedBy: 'PiP Respiratory Network clinical governance group',
    approvedDate: '2025-05-20',
    // Number changes since the previous edition (2.2 -> 2.3).
    numberChanges: [{ old: '1 hour', new: '2 hours' }],
  },
  moved: {
    title: 'Kawasaki disease',
    from: 'guidelines/cardiology/kawasaki.md',
    to: 'guidelines/cardiology/kawasaki-disease.md',
    oldPage: 'cardiology/kawasaki.html',
    page: 'cardiology/kawasaki-disease.html',
    date: '2025-07-14',
  },
  withdrawn: {
    title: 'Bronchiolitis oxygen thresholds (superseded)',
    source: 'guidelines/respiratory/bronchiolitis-oxygen-thresholds.md',
    page: 'respiratory/bronchiolitis-oxygen-thresholds.html',
    version: '1.2',
    archivedPage: 'respiratory/bronchiolitis-oxygen-thresholds/v1.2.html',
    date: '2025-08-01',
  },
  removed: {
    title: 'Whooping cough (pertussis)',
    source: 'guidelines/respiratory/whooping-cough.md',
    version: '1.0',
    archivedPage: 'respiratory/whooping-cough/v1.0.html',
    from: '2024-03-01',
    date: '2025-10-06',
  },
};

const WHOOPING_COUGH = `---
title: Whooping cough (pertussis)
section: Respiratory
network: PiP Respiratory Network
review_date: 2026-03-31
last_reviewed: 2023-03-31
version: "1.0"
authors:
  - "Consultant paediatrician, Trust B"
---

> **Sample content - not for clinical use.** This guideline is an illustrative example for the wardbook software.

## Recognition

Suspect pertussis in a child with a cough lasting 14 days or more with paroxysms, an inspiratory whoop or post-tussive vomiting.

## Management

Infants under 6 months may need admission for apnoea monitoring.
`;

/** Runs git in `dir` with the author and committer date `date` (noon UTC), isolated from any config. */
function git(dir, date, args) {
  const stamp = `${date}T12:00:00+00:00`;
  return execFileSync('git', [
    '-c', 'user.name=Fixture Author', '-c', 'user.email=fixture@example.org',
    '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args,
  ], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp,
    },
  }).trim();
}

/** Replaces `from` by `to` in `text`, failing loudly when the sample no longer contains `from`. */
function replaceOnce(text, from, to, what) {
  if (!text.includes(from)) throw new Error(`history fixture: ${what} no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** Inserts `lines` (YAML) just before the closing `---` of the front matter. */
function addFrontMatter(text, lines) {
  const end = text.indexOf('\n---', 4);
  return `${text.slice(0, end)}\n${lines}${text.slice(end)}`;
}

function commitAll(dir, date, message) {
  git(dir, date, ['add', '-A']);
  git(dir, date, ['commit', '-q', '-m', message]);
}

/**
 * Makes the fixture repository in a fresh temporary folder and returns
 * `{ dir, history: HISTORY, head }` (`head`: the tip commit's id).
 */
export function makeHistoryBook() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wardbook-history-'));
  fs.cpSync(path.join(repoRoot, 'guidelines'), path.join(dir, 'guidelines'), { recursive: true });
  // The sample's own [history] (this repository's) is replaced by the fixture's.
  const toml = fs.readFileSync(path.join(repoRoot, 'book.toml'), 'utf8').replace(/\n# [^\n]*\n(#[^\n]*\n)*\[history\][^[]*/, '\n');
  fs.writeFileSync(path.join(dir, 'book.toml'), `${toml.trimEnd()}\n\n[history]\nprevious_edition = "${PREVIOUS_EDITION}"\n`);
  const file = (rel) => path.join(dir, rel);
  const read = (rel) => fs.readFileSync(file(rel), 'utf8');
  const write = (rel, text) => fs.writeFileSync(file(rel), text);

  const c = HISTORY.croup;
  const croup = read(c.source);
  const croup22 = replaceOnce(croup, c.text['2.3'], c.text['2.2'], 'croup.md').replace('version: "2.3"', 'version: "2.2"');
  const croup21 = replaceOnce(croup22, 'SpO2 < 92%', c.text['2.1'], 'croup.md').replace('version: "2.2"', 'version: "2.1"');
  const croup23 = addFrontMatter(croup, [
    `change_summary: "${c.changeSummary}"`,
    `approved_by: "${c.approvedBy}"`,
    `approved_date: ${c.approvedDate}`,
  ].join('\n'));
  const w = HISTORY.withdrawn;
  const withdrawn = read(w.source);
  const stillCurrent = replaceOnce(withdrawn, '\nstatus: withdrawn', '', 'bronchiolitis-oxygen-thresholds.md');
  const m = HISTORY.moved;
  const linker = 'guidelines/infection/febrile-child.md';
  const linkerText = read(linker);
  const linkerOld = replaceOnce(linkerText, '../cardiology/kawasaki-disease.md', '../cardiology/kawasaki.md', linker);

  git(dir, '2024-03-01', ['init', '-q']);
  write(c.source, croup21);
  write(w.source, stillCurrent);
  fs.renameSync(file(m.to), file(m.from));
  write(linker, linkerOld);
  write(HISTORY.removed.source, WHOOPING_COUGH);
  commitAll(dir, '2024-03-01', 'First edition in git');

  write(c.source, croup22);
  commitAll(dir, '2024-09-16', 'Croup 2.2: SpO2 threshold for impending respiratory failure');
  git(dir, '2024-09-16', ['tag', PREVIOUS_EDITION]);

  write(c.source, croup23);
  commitAll(dir, '2025-06-02', 'Croup 2.3: longer observation after nebulised adrenaline');

  git(dir, m.date, ['mv', m.from, m.to]);
  write(linker, linkerText);
  commitAll(dir, m.date, 'Kawasaki disease: file renamed to match its title');

  write(w.source, withdrawn);
  commitAll(dir, w.date, 'Bronchiolitis oxygen thresholds withdrawn (now in the bronchiolitis guideline)');

  git(dir, HISTORY.removed.date, ['rm', '-q', HISTORY.removed.source]);
  commitAll(dir, HISTORY.removed.date, 'Whooping cough removed: covered by the network infection guidance');

  return { dir, history: HISTORY, head: git(dir, '2025-10-06', ['rev-parse', 'HEAD']) };
}
