/* wardbook search: runs search.html. Plain ES2017, no modules, no frameworks, no
   external requests. The index is a set of script files under search/ written at build time
   (src/render/search/): terms.js first (dictionary, rules, synonyms), then postings shards and
   document chunks on demand, each loaded with a <script> tag so that it works from file://.
   A large index comes in parts (split.rs): terms.js then holds no dictionary or document table;
   a query loads the runs of the dictionary its words need (words-N.js), the document table of
   the results it shows (meta-N.js), every document's section and network for a filter
   (facts-0.js) and the title words for "did you mean" (vocab-0.js). Ranking is the same.
   Normalisation mirrors src/render/search/text.rs; the rules themselves come from terms.js. */
(function () {
  'use strict';

  var ALPHA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var DIGIT = new Int8Array(128);
  for (var di = 0; di < ALPHA.length; di++) DIGIT[ALPHA.charCodeAt(di)] = di;
  var PAGE = 10;            // results shown at a time
  var MAX_PREFIX = 40;      // prefix expansions per word
  var MAX_TYPO = 8;         // typo corrections per word
  var TITLE = 1, KEYWORD = 2, HEADING = 4, AT_HEADING = 8, BODY_SHIFT = 4;
  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'];

  var base = '';
  var version = '';
  var head = null;          // terms.js data, prepared
  var shards = {};          // shard number -> array of postings strings
  var chunks = {};          // chunk number -> array of document records
  var decoded = {};         // term index -> {docs, flags, heads}
  var runs = {};            // index in parts: dictionary run number -> {terms, df}
  var meta = {};            // index in parts: document table run number -> lists
  var missing = null;       // while planning: runs of the dictionary the plan needed, not loaded
  var waiting = {};         // "kind:n" -> {promise, resolve, reject}
  var normCache = Object.create(null);
  var timings = [];

  // ---- loading -----------------------------------------------------------------------------

  function waiter(key) {
    if (waiting[key]) return waiting[key];
    var w = {};
    w.promise = new Promise(function (resolve, reject) { w.resolve = resolve; w.reject = reject; });
    waiting[key] = w;
    return w;
  }

  function load(kind, n) {
    var key = kind + ':' + n;
    if (waiting[key]) return waiting[key].promise;
    var w = waiter(key);
    var tag = kind === 'terms' && document.getElementById('search-terms');
    if (tag) {
      // search.html already asked for terms.js (deferred, so it downloads with the page).
      tag.addEventListener('error', function () { w.reject(new Error('cannot load terms.js')); });
      return w.promise;
    }
    var s = document.createElement('script');
    var file = kind === 'terms' ? 'terms.js' : kind + '-' + n + '.js';
    s.src = base + file + (version ? '?v=' + version : '');
    s.async = true;
    s.onerror = function () { w.reject(new Error('cannot load ' + file)); };
    document.head.appendChild(s);
    return w.promise;
  }

  function add(kind, n, data) {
    if (kind === 'terms') {
      var t0 = performance.now();
      head = prepare(data);
      timings.prepare = [t0, performance.now()];
    }
    else if (kind === 'shard') shards[n] = data;
    else if (kind === 'docs') chunks[n] = data;
    else if (kind === 'words') addWords(n, data);
    else if (kind === 'meta') meta[n] = data;
    else if (kind === 'facts') { head.docSection = data.section; head.docNetwork = data.network; }
    else if (kind === 'vocab') head.vocab = data;
    waiter(kind + ':' + n).resolve(data);
  }

  function prepare(d) {
    if (!d.split) {
      d.termList = d.terms ? d.terms.split(' ') : [];
      d.dfList = d.df;
      d.docSection = d.docs[0]; d.docNetwork = d.docs[1]; d.docReview = d.docs[2]; d.docTitleTerms = d.docs[3];
    }
    d.stop = new Set(d.rules.stop);
    d.irregular = new Map(d.rules.irregular);
    d.special = new Map(d.rules.special);
    d.slugTo = new Map();
    for (var i = 0; i < d.slug.from.length; i++) d.slugTo.set(d.slug.from[i], d.slug.to[i]);
    head = d; // normalise() below reads the rules
    d.syn = prepareSynonyms(d.syn);
    return d;
  }

  // ---- normalisation (mirrors text.rs) ------------------------------------------------------

  function isWordCode(u) {
    if (u < 128) return (u >= 48 && u <= 57) || (u >= 65 && u <= 90) || (u >= 97 && u <= 122);
    return u >= 0xC0 && !(u === 0xD7 || u === 0xF7 || (u >= 0x2000 && u <= 0x2BFF) ||
      (u >= 0x2E00 && u <= 0x2E7F) || (u >= 0x3000 && u <= 0x303F) || (u >= 0xFE30 && u <= 0xFE4F) ||
      (u >= 0xFF00 && u <= 0xFF0F) || (u >= 0xFF1A && u <= 0xFF20) || (u >= 0xFF3B && u <= 0xFF40) ||
      (u >= 0xFF5B && u <= 0xFF65) || (u >= 0xFFF0 && u <= 0xFFFF) || u >= 0x1F000);
  }
  function isApostrophe(c) { return c === "'" || c === '\u2019' || c === '\u02BC'; }
  function isHyphen(c) { return c === '-' || c === '\u2010' || c === '\u2011'; }

  /** Words of `text`: {text, start, end, hyphenNext} with UTF-16 offsets. */
  function tokenize(text) {
    var chars = [], offs = [], i = 0;
    for (var ch of text) { chars.push(ch); offs.push(i); i += ch.length; }
    var wordAt = function (k) { return k >= 0 && k < chars.length && isWordCode(chars[k].codePointAt(0)); };
    var out = [];
    i = 0;
    while (i < chars.length) {
      var c = chars[i];
      if (c === '#') { out.push({ text: '#', start: offs[i], end: offs[i] + 1, hyphenNext: false }); i++; continue; }
      if (!wordAt(i)) {
        if (isHyphen(c) && wordAt(i - 1) && wordAt(i + 1) && out.length && out[out.length - 1].end === offs[i]) {
          out[out.length - 1].hyphenNext = true;
        }
        i++;
        continue;
      }
      var word = '', j = i;
      while (j < chars.length) {
        var cj = chars[j];
        if (wordAt(j)) word += cj;
        else if ((isApostrophe(cj) || cj === '&') && j > i && wordAt(j + 1)) { if (cj === '&') word += cj; }
        else break;
        j++;
      }
      out.push({ text: word, start: offs[i], end: j < chars.length ? offs[j] : text.length, hyphenNext: false });
      i = j;
    }
    return out;
  }

  function foldCase(word) {
    var lower = word.replace(/['\u2019\u02BC]/g, '').toLowerCase();
    if (/^[\x00-\x7f]*$/.test(lower)) return lower;
    lower = lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    var out = '';
    for (var c of lower) out += head.special.has(c) ? head.special.get(c) : c;
    return out;
  }

  function applyFold(word, f) {
    if (word.indexOf(f.from) < 0) return word;
    var out = '', i = 0;
    while (i < word.length) {
      if (word.startsWith(f.from, i) && foldApplies(word, i, f)) { out += f.to; i += f.from.length; }
      else {
        var cp = word.codePointAt(i);
        var len = cp > 0xFFFF ? 2 : 1;
        out += word.substr(i, len);
        i += len;
      }
    }
    return out;
  }

  function foldApplies(word, i, f) {
    var rest = word.slice(i + f.from.length);
    if (Array.from(word.slice(0, i)).length < f.min_prefix) return false;
    if (f.before && !(rest.length && f.before.indexOf(rest[0]) >= 0)) return false;
    if (f.at === 'end') return rest === '' || rest === 's';
    return true;
  }

  function foldSpelling(word) {
    var w = word;
    for (var i = 0; i < head.rules.folds.length; i++) w = applyFold(w, head.rules.folds[i]);
    return w;
  }

  function hasVowel(s) { return /[aeiouy]/.test(s); }

  function stem(word) {
    if (!/^[\x00-\x7f]*$/.test(word) || word.length <= 3) return word;
    var w = word, verb = false, s;
    if (w.endsWith('ies')) w = w.slice(0, -3) + 'y';
    else if (w.endsWith('sses')) w = w.slice(0, -4) + 'ss';
    else if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) { /* not a plural */ }
    else if (w.endsWith('s') && hasVowel(w.slice(0, -1))) w = w.slice(0, -1);
    else if (w.endsWith('ing') && (s = w.slice(0, -3)).length >= 3 && hasVowel(s)) { w = s; verb = true; }
    else if (w.endsWith('ed') && (s = w.slice(0, -2)).length >= 3 && hasVowel(s) && !s.endsWith('e')) { w = s; verb = true; }
    if (verb) {
      var l = w.length;
      if (l >= 2 && w[l - 1] === w[l - 2] && 'bdfgmnprt'.indexOf(w[l - 1]) >= 0) w = w.slice(0, -1);
    }
    if (w.length >= 4 && w.endsWith('e')) w = w.slice(0, -1);
    return w;
  }

  /** The search term of one word, or null (stop word, empty, too long). */
  function normalise(word) {
    if (word in normCache) return normCache[word];
    var lower = foldCase(word), term = null;
    if (lower && !head.stop.has(lower)) {
      term = head.irregular.has(lower) ? head.irregular.get(lower) : stem(foldSpelling(lower));
      if (!term || term.length > 40) term = null;
    }
    normCache[word] = term;
    return term;
  }

  /** Query units: a word, or a hyphenated compound (parts plus the joined form). */
  function units(text) {
    var toks = tokenize(text), out = [], i = 0;
    while (i < toks.length) {
      var j = i, raw = toks[i].text;
      while (toks[j].hyphenNext && j + 1 < toks.length) { j++; raw += toks[j].text; }
      var parts = [], surface = [];
      for (var k = i; k <= j; k++) {
        var t = normalise(toks[k].text);
        if (t) { parts.push(t); surface.push(toks[k].text); }
      }
      var joined = j > i ? normalise(raw) : null;
      if (parts.length || joined) {
        out.push({
          terms: parts, joined: joined, raw: text.slice(toks[i].start, toks[j].end), fold: foldSpelling(foldCase(raw)),
          start: toks[i].start, end: toks[j].end
        });
      }
      i = j + 1;
    }
    return out;
  }

  /**
   * Synonym rows [kind, label, terms, label, terms…] (terms normalised at build time: a phrase's
   * distinct terms sorted, synonyms.rs `phrase_key`), indexed by member: each key maps to the rows
   * (and member) it appears in; alternatives are read from the row only when a query uses the
   * key, so loading stays cheap.
   */
  function prepareSynonyms(rows) {
    var map = new Map(), maxLen = 1;
    rows.forEach(function (row, g) {
      for (var i = 1, m = 0; i + 1 < row.length; i += 2, m++) {
        if (row[0] === 1 && m > 0) break; // an ambiguous key searches its meanings, not back
        var key = row[i + 1];
        if (!key) continue;
        var words = 1;
        for (var c = 0; c < key.length; c++) if (key.charCodeAt(c) === 32) words++;
        if (words > maxLen) maxLen = words;
        var list = map.get(key);
        if (!list) { list = []; map.set(key, list); }
        list.push([g, m]);
      }
    });
    return { map: map, rows: rows, maxLen: maxLen };
  }

  /** The alternatives a synonym key stands for: [{label, terms, key, means}], or null. */
  function alternatives(key) {
    var refs = head.syn.map.get(key);
    if (!refs) return null;
    var out = [], seen = {};
    seen[key] = true;
    refs.forEach(function (ref) {
      var row = head.syn.rows[ref[0]], means = row[0] === 1;
      for (var i = 1, m = 0; i + 1 < row.length; i += 2, m++) {
        var k = row[i + 1];
        if (m === ref[1] || !k || seen[k]) continue;
        seen[k] = true;
        out.push({ label: row[i], terms: k.split(' '), key: k, means: means });
      }
    });
    return out;
  }

  /** By code point, as Rust orders strings (plain `<` compares UTF-16 units). */
  function byCodePoint(a, b) {
    for (var i = 0, j = 0; i < a.length && j < b.length;) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x - y;
      i += x > 0xFFFF ? 2 : 1;
      j += y > 0xFFFF ? 2 : 1;
    }
    return (a.length - i) - (b.length - j);
  }

  /** The key of a set of terms (synonyms.rs `set_key`): distinct, sorted, space-separated. */
  function phraseKey(terms) {
    var sorted = terms.slice().sort(byCodePoint);
    return sorted.filter(function (t, i) { return i === 0 || t !== sorted[i - 1]; }).join(' ');
  }

  /**
   * The longest run of units from `i` whose set of terms a synonym entry holds, whatever their
   * order or number: {len, terms, key, alts}, or null (lookup.rs `find`).
   */
  function synonymRun(us, i) {
    for (var len = Math.min(head.syn.maxLen, us.length - i); len >= 1; len--) {
      var ts = [];
      for (var k = i; k < i + len; k++) ts.push.apply(ts, us[k].terms.length ? us[k].terms : [us[k].joined]);
      var key = phraseKey(ts), alts = alternatives(key);
      if (alts) return { len: len, terms: ts, key: key, alts: alts };
    }
    return null;
  }

  /** The runs of a query the synonym list knows: [{start, len, key, readings}] (for tests). */
  function synonymRuns(q) {
    var us = units(q), out = [];
    for (var i = 0; i < us.length;) {
      var m = synonymRun(us, i);
      if (!m) { i++; continue; }
      var readings = m.alts.filter(function (a) { return a.means; }).map(function (a) { return a.label; });
      out.push({ start: i, len: m.len, key: m.key, readings: readings });
      i += m.len;
    }
    return out;
  }

  // ---- dictionary look-ups ------------------------------------------------------------------

  /** A run of the dictionary is in; with every run in, the dictionary is whole (as in one part). */
  function addWords(n, data) {
    runs[n] = { terms: data.terms ? data.terms.split(' ') : [], df: data.df };
    if (Object.keys(runs).length < head.split.first.length) return;
    var terms = [], df = [];
    for (var i = 0; i < head.split.first.length; i++) { terms.push.apply(terms, runs[i].terms); df.push.apply(df, runs[i].df); }
    head.termList = terms;
    head.dfList = df;
  }

  /** Notes a run of the dictionary the plan needs ('all' for every run). */
  function need(n) { if (missing) missing[n] = true; }

  /** The run of the dictionary holding term number t. */
  function runOfTerm(t) {
    var s = head.split.words, lo = 0, hi = s.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (s[mid] <= t) lo = mid; else hi = mid - 1; }
    return lo;
  }

  /** The run of the dictionary where `w` is or would be: the last whose first term is not after it. */
  function runOfWord(w) {
    var f = head.split.first, lo = 0, hi = f.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (!(w < f[mid])) lo = mid; else hi = mid - 1; }
    return lo;
  }

  function termAt(t) {
    if (head.termList) return head.termList[t];
    var r = runOfTerm(t);
    return runs[r].terms[t - head.split.words[r]];
  }

  function dfAt(t) {
    if (head.dfList) return head.dfList[t];
    var r = runOfTerm(t);
    return runs[r].df[t - head.split.words[r]];
  }

  function lowerBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function exact(term) {
    var list = head.termList, start = 0;
    if (!list) {
      var r = runOfWord(term);
      if (!runs[r]) { need(r); return -1; }
      list = runs[r].terms; start = head.split.words[r];
    }
    var i = lowerBound(list, term);
    return i < list.length && list[i] === term ? start + i : -1;
  }

  function prefixed(p, limit) {
    var out = [];
    if (head.termList) collect(head.termList, 0);
    else {
      var first = runOfWord(p);
      for (var r = first; r < head.split.first.length && (r === first || head.split.first[r].startsWith(p)); r++) {
        if (runs[r]) collect(runs[r].terms, head.split.words[r]); else need(r);
      }
    }
    function collect(list, start) {
      for (var i = lowerBound(list, p); i < list.length && list[i].startsWith(p); i++) out.push(start + i);
    }
    out.sort(function (a, b) { return dfAt(b) - dfAt(a) || a - b; });
    return out.slice(0, limit);
  }

  /** Optimal string alignment distance, or k+1 once it must exceed k. */
  function osa(a, b, k) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > k) return k + 1;
    var prev2 = null, prev = new Array(lb + 1), cur;
    for (var j = 0; j <= lb; j++) prev[j] = j;
    for (var i = 1; i <= la; i++) {
      cur = new Array(lb + 1);
      cur[0] = i;
      var rowMin = i;
      for (j = 1; j <= lb; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > k) return k + 1;
      prev2 = prev; prev = cur;
    }
    return prev[lb];
  }

  function allowedEdits(typed) { return typed.length >= 8 ? 2 : typed.length >= 4 ? 1 : 0; }

  /** Term numbers by length (for typo search; built on first use). */
  function byLength() {
    if (!head.byLength) {
      head.byLength = [];
      for (var t = 0; t < head.termList.length; t++) {
        var l = head.termList[t].length;
        (head.byLength[l] = head.byLength[l] || []).push(t);
      }
    }
    return head.byLength;
  }

  function typos(term, typedLen, prefixToo) {
    var k = allowedEdits({ length: typedLen });
    if (!k) return [];
    if (!head.termList) { need('all'); return []; }
    var found = [];
    for (var l = Math.max(1, term.length - k); l <= term.length + k + (prefixToo ? 30 : 0); l++) {
      var list = byLength()[l];
      if (!list) continue;
      for (var n = 0; n < list.length; n++) {
        var t = head.termList[list[n]];
        var d = osa(term, t, k);
        if (d > k && prefixToo && t.length > term.length) d = osa(term, t.slice(0, term.length), k) + 0.5;
        if (d <= k + 0.5 && d > 0) found.push({ t: list[n], d: d });
      }
    }
    found.sort(function (a, b) { return a.d - b.d || head.dfList[b.t] - head.dfList[a.t] || a.t - b.t; });
    return found.slice(0, MAX_TYPO);
  }

  /** Dictionary terms standing for one query word: [{t, w, exact}]. */
  function candidates(word, fold, opts) {
    var out = [], seen = {};
    var push = function (t, w, isExact) { if (!(t in seen)) { seen[t] = out.length; out.push({ t: t, w: w, exact: isExact }); } };
    var e = exact(word);
    if (e >= 0) push(e, 1, true);
    // Two letters are an abbreviation when the word or a synonym exists, else a word being typed.
    var known = e >= 0 || opts.synonyms;
    if (opts.prefix && (word.length >= 3 || (word.length === 2 && !known))) {
      var bases = [word];
      if (fold && fold !== word && fold.length >= 2) bases.push(fold);
      bases.forEach(function (b) {
        prefixed(b, MAX_PREFIX).forEach(function (t) {
          push(t, (known ? 0.4 : 0.8) * Math.sqrt(b.length / termAt(t).length), false);
        });
      });
    }
    // Typos are looked for once the word's own runs of the dictionary are in (an index in parts).
    if (!out.length && opts.typo && !(missing && Object.keys(missing).length)) {
      typos(word, (fold || word).length, opts.prefix).forEach(function (c) {
        push(c.t, c.d <= 1 ? 0.7 : 0.5, false);
      });
    }
    return out;
  }

  // ---- the query ----------------------------------------------------------------------------

  /** Slots of a query: each a unit (or a run of units a synonym covers) with its alternatives. */
  function plan(q) {
    var us = units(q), slots = [], notes = [];
    missing = {};
    var i = 0;
    while (i < us.length) {
      var matched = synonymRun(us, i);
      var last = (matched ? i + matched.len : i + 1) >= us.length;
      var u = us[i];
      var slot = { label: u.raw, alts: [], start: u.start, end: u.end };
      if (matched && matched.len > 1) {
        slot.label = us.slice(i, i + matched.len).map(function (x) { return x.raw; }).join(' ');
        slot.end = us[i + matched.len - 1].end;
        slot.alts.push({ words: matched.terms.map(function (t) { return { term: t, fold: t, prefix: false }; }), weight: 1, self: true });
      } else {
        if (u.terms.length) slot.alts.push({ words: u.terms.map(function (t, n) {
          return { term: t, fold: u.terms.length === 1 ? u.fold : t, prefix: last && n === u.terms.length - 1 || u.terms.length === 1 };
        }), weight: 1, self: true });
        if (u.joined) slot.alts.push({ words: [{ term: u.joined, fold: u.fold, prefix: last }], weight: 1, self: true });
      }
      if (matched) {
        var means = [];
        matched.alts.forEach(function (a) {
          slot.alts.push({ words: a.terms.map(function (t) { return { term: t, fold: t, prefix: false }; }), weight: 0.9, self: false, label: a.label });
          if (a.means) means.push(a.label);
        });
        if (means.length) notes.push({ means: slot.label, labels: means, start: slot.start, end: slot.end });
        else notes.push({ same: slot.label, labels: matched.alts.map(function (a) { return a.label; }) });
      }
      slot.last = last;
      slots.push(slot);
      i += matched ? matched.len : 1;
    }
    slots.forEach(function (s) {
      s.alts.forEach(function (a) {
        a.words.forEach(function (w) {
          w.cands = candidates(w.term, w.fold, { prefix: w.prefix, typo: a.self, synonyms: s.alts.length > 1 && a.self });
        });
      });
      s.active = s.alts.some(function (a) { return a.words.some(function (w) { return w.cands.length; }); });
    });
    var wanted = Object.keys(missing);
    missing = null;
    return { slots: slots, notes: notes, missing: wanted };
  }

  /** The plan of q once the runs of the dictionary it needs are in (an index in parts). */
  function planned(q) {
    var p = plan(q);
    if (!p.missing.length) return Promise.resolve(p);
    var all = p.missing.indexOf('all') >= 0;
    var wanted = all ? head.split.first.map(function (f, i) { return i; }) : p.missing.map(Number);
    return Promise.all(wanted.map(function (n) { return load('words', n); })).then(function () { return planned(q); });
  }

  function shardOf(t) {
    var s = head.shards, lo = 0, hi = s.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (s[mid] <= t) lo = mid; else hi = mid - 1; }
    return lo;
  }

  function neededShards(p) {
    var need = {};
    p.slots.forEach(function (s) { s.alts.forEach(function (a) { a.words.forEach(function (w) {
      w.cands.forEach(function (c) { var n = shardOf(c.t); if (!shards[n]) need[n] = true; });
    }); }); });
    return Object.keys(need).map(Number);
  }

  function postings(t) {
    if (decoded[t]) return decoded[t];
    var n = shardOf(t), s = shards[n][t - head.shards[n]];
    var docs = [], flags = [], heads = [], i = 0, doc = 0, first = true;
    while (i < s.length) {
      var acc = 0, d;
      do { d = DIGIT[s.charCodeAt(i++)]; acc = acc * 32 + (d & 31); } while (d >= 32);
      doc = first ? acc : doc + acc; first = false;
      var f = DIGIT[s.charCodeAt(i++)];
      var h = -1;
      if (f & AT_HEADING) {
        acc = 0;
        do { d = DIGIT[s.charCodeAt(i++)]; acc = acc * 32 + (d & 31); } while (d >= 32);
        h = acc;
      }
      docs.push(doc); flags.push(f); heads.push(h);
    }
    decoded[t] = { docs: docs, flags: flags, heads: heads };
    return decoded[t];
  }

  function idf(t) {
    var df = dfAt(t);
    return Math.log(1 + (head.n - df + 0.5) / (df + 0.5));
  }

  function fieldScore(f) {
    var w = head.w;
    return (f & TITLE ? w[0] : 0) + (f & KEYWORD ? w[1] : 0) + (f & HEADING ? w[2] : 0) + w[3] * (f >> BODY_SHIFT) / 3;
  }

  /**
   * Scores every document; returns ranked [{doc, score, anchor}] plus the matched term set. A
   * document's score sums its slots' (each the best of the slot's alternatives, an alternative the
   * mean of its words' best candidate), scaled by the share of slots it matches.
   */
  function rank(p, filters) {
    var acc = totals(head.n), active = 0;
    p.slots.forEach(function (slot) {
      if (!slot.active) return;
      active++;
      scoreSlot(slot, acc);
    });
    return { results: ranked(acc, active, filters), terms: acc.terms, active: active };
  }

  /** Per-document totals over the slots, and each document's best posting (for its anchor). */
  function totals(n) {
    return {
      score: new Float64Array(n), slots: new Uint8Array(n), inTitle: new Uint8Array(n),
      exactTitle: new Int32Array(n), exactSlots: new Uint8Array(n),
      bestPost: new Float64Array(n), anchor: new Int32Array(n).fill(-1), terms: Object.create(null),
      titleTerms: new Int32Array(n)
    };
  }

  /** Adds one slot: the best of its alternatives per document. */
  function scoreSlot(slot, acc) {
    var n = head.n;
    var best = { score: new Float64Array(n), title: new Uint8Array(n), exact: new Int32Array(n) };
    slot.alts.forEach(function (alt) { scoreAlt(alt, best, acc); });
    for (var d = 0; d < n; d++) {
      if (best.score[d] > 0) {
        acc.score[d] += best.score[d]; acc.slots[d]++; acc.inTitle[d] += best.title[d];
        if (best.exact[d]) { acc.exactTitle[d] += best.exact[d]; acc.exactSlots[d]++; }
      }
    }
  }

  /** One alternative's score per document into the slot's best, where it beats it. */
  function scoreAlt(alt, best, acc) {
    var n = head.n, nw = alt.words.length, w = wordSums(alt, acc);
    for (var d = 0; d < n; d++) {
      // What the user typed may match in part; a synonym counts only when all of it matches.
      if (!w.count[d] || (!alt.self && w.count[d] < nw)) continue;
      var cover = w.count[d] / nw;
      var sc = w.sum[d] / nw * cover * cover;
      if (sc > best.score[d]) best.score[d] = sc;
      if (w.titled[d] === nw) best.title[d] = 1;
      if (w.exact[d] === nw && nw > best.exact[d]) best.exact[d] = nw;
    }
  }

  /** Per document, the sum of an alternative's words' best scores and how many words matched. */
  function wordSums(alt, acc) {
    var n = head.n;
    var out = { sum: new Float64Array(n), count: new Uint8Array(n), titled: new Uint8Array(n), exact: new Uint8Array(n) };
    alt.words.forEach(function (word) {
      if (!word.cands.length) return;
      var b = scoreWord(word, alt.weight, acc);
      for (var d = 0; d < n; d++) {
        if (b.score[d] > 0) { out.sum[d] += b.score[d]; out.count[d]++; out.titled[d] += b.title[d]; out.exact[d] += b.exact[d]; }
      }
    });
    return out;
  }

  /** One query word's best score per document over its candidate terms. */
  function scoreWord(word, weight, acc) {
    var n = head.n;
    var best = { score: new Float64Array(n), title: new Uint8Array(n), exact: new Uint8Array(n) };
    word.cands.forEach(function (c) { scoreCandidate(c, weight, best, acc); });
    return best;
  }

  /** One candidate term's postings into the word's best scores and the documents' anchors. */
  function scoreCandidate(c, altWeight, best, acc) {
    acc.terms[termAt(c.t)] = true;
    var ps = postings(c.t), weight = c.w * altWeight * idf(c.t);
    for (var k = 0; k < ps.docs.length; k++) {
      var d = ps.docs[k], f = ps.flags[k], s = weight * fieldScore(f);
      // An index in parts ships a document's count of title terms with its title postings.
      if (head.split && (f & TITLE)) acc.titleTerms[d] = ps.heads[k];
      if (s > best.score[d]) { best.score[d] = s; best.title[d] = f & TITLE ? 1 : 0; best.exact[d] = c.exact && (f & TITLE) ? 1 : 0; }
      if (s > acc.bestPost[d]) {
        acc.bestPost[d] = s;
        acc.anchor[d] = (f & (TITLE | KEYWORD)) ? -1 : ps.heads[k];
      }
    }
  }

  /** The documents matched, filtered, with their final scores, best first. */
  function ranked(acc, active, filters) {
    var out = [];
    for (var d = 0; d < head.n; d++) {
      if (!acc.slots[d]) continue;
      if (filters.section >= 0 && head.docSection[d] !== filters.section) continue;
      if (filters.network >= 0 && head.docNetwork[d] !== filters.network) continue;
      var c = acc.slots[d] / active, score = acc.score[d] * c * c;
      if (acc.inTitle[d] === active) score *= 1.5;
      var titleTerms = head.split ? acc.titleTerms[d] : head.docTitleTerms[d];
      if (acc.exactSlots[d] === active && acc.exactTitle[d] === titleTerms) score += 1e6;
      out.push({ doc: d, score: score, anchor: acc.anchor[d] });
    }
    out.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return out;
  }

  // ---- documents ----------------------------------------------------------------------------

  function chunkOf(d) { return Math.floor(d / head.chunk); }

  function loadDocs(list) {
    var need = {};
    list.forEach(function (r) { var c = chunkOf(r.doc); if (!chunks[c]) need[c] = true; });
    return Promise.all(Object.keys(need).map(function (c) { return load('docs', Number(c)); }));
  }

  /** The document table's runs for the documents of `list` (an index in parts). */
  function loadMeta(list) {
    if (!head.split) return Promise.resolve();
    var need = {};
    list.forEach(function (r) { var c = Math.floor(r.doc / head.split.meta); if (!meta[c]) need[c] = true; });
    return Promise.all(Object.keys(need).map(function (c) { return load('meta', Number(c)); }));
  }

  /** What the document table holds of document d. */
  function docInfo(d) {
    if (!head.split) {
      return { title: head.titles[d], page: head.pages[d], date: head.dates[d], sec: head.docSection[d], net: head.docNetwork[d], review: head.docReview[d] };
    }
    var m = meta[Math.floor(d / head.split.meta)], k = d % head.split.meta;
    return { title: m.titles[k], page: m.pages[k], date: m.dates[k], sec: m.docs[0][k], net: m.docs[1][k], review: m.docs[2][k] };
  }

  /** The stem search.js guesses from a title (encode.rs `title_slug`). */
  function titleSlug(title) {
    var out = '', gap = false;
    for (var i = 0; i < title.length; i++) {
      var c = title[i];
      if (/[A-Za-z0-9]/.test(c)) {
        if (gap && out) out += '-';
        gap = false;
        out += c.toLowerCase();
      } else if (c !== "'" && c !== '\u2019') gap = true;
    }
    return out;
  }

  /** What terms.js knows of document d: enough for a result line without its snippet. */
  function summary(d) {
    var info = docInfo(d);
    var sec = head.sections[info.sec], net = head.networks[info.net];
    var p = info.page, title = info.title;
    var page = p.charAt(0) === '/' ? p.slice(1) : sec[0] + '/' + (p || titleSlug(title)) + '.html';
    return {
      doc: d, title: title, page: page, href: page, heading: null,
      section: sec[1], sectionSlug: sec[0], network: net[1], networkSlug: net[0],
      review: ['current', 'due', 'overdue'][info.review], reviewDate: info.date,
      snippet: null
    };
  }

  /** Adds the heading link and snippet of x (its document chunk must be loaded). */
  function detail(x, anchor, terms) {
    var r = chunks[chunkOf(x.doc)][x.doc % head.chunk];
    var headings = headingIds(r[0]);
    var h = anchor >= 0 && headings[anchor] ? headings[anchor] : null;
    x.href = x.page + (h ? '#' + h[1] : '');
    x.heading = h ? h[0] : null;
    x.snippet = snippet(r[1], anchor, terms);
    return x;
  }

  /** The slug of a heading's text, by the table of markdown.rs's rule that terms.js ships. */
  function slug(text) {
    var out = '', cs = Array.from(text.trim()), digit = /[0-9]/;
    cs.forEach(function (c, i) {
      if (head.slugTo.has(c)) out += head.slugTo.get(c);
      else if (digit.test(out.slice(-1)) && digit.test(cs[i + 1] || '')) out += head.slug.between_digits;
    });
    return out;
  }

  /**
   * Heading [text, id] pairs: an id the index ships as is, else predicted as markdown.rs makes it
   * (the slug, made unique after the page's reserved ids and the headings before it). The index
   * ships every id this would get wrong (slug.rs `shipped`).
   */
  function headingIds(hs) {
    var seen = new Set(head.slug.reserved);
    return hs.map(function (h) {
      var text = typeof h === 'string' ? h : h[0], id = typeof h === 'string' ? null : h[1];
      if (!id) {
        var b = slug(text) || head.slug.empty, k = 1;
        id = b;
        while (seen.has(id)) id = b + '-' + k++;
      }
      seen.add(id);
      return [text, id];
    });
  }

  // ---- public search --------------------------------------------------------------------------

  var ready = null;
  function init() {
    // search.html loads terms.js with a deferred tag, so it is usually here before the page starts.
    if (!ready) ready = head ? Promise.resolve(head) : load('terms', 0).then(function () { return head; });
    return ready;
  }

  /** Runs a query: resolves to {results: [{doc, score, anchor, title, href, ...}], ...}. */
  function query(q, filters) {
    var t0 = performance.now(), sec = -1, net = -1;
    filters = filters || {};
    return init().then(function () {
      sec = filters.section ? head.sections.findIndex(function (s) { return s[0] === filters.section; }) : -1;
      net = filters.network ? head.networks.findIndex(function (s) { return s[0] === filters.network; }) : -1;
      // A filter of an index in parts needs every document's section and network.
      var facts = head.split && (sec >= 0 || net >= 0) && !head.docSection ? load('facts', 0) : null;
      return Promise.all([planned(q), facts]);
    }).then(function (got) {
      var p = got[0], need = neededShards(p);
      return Promise.all(need.map(function (n) { return load('shard', n); })).then(function () {
        var r = rank(p, { section: sec, network: net });
        r.plan = p;
        r.loaded = need.length;
        r.t0 = t0;
        return r;
      });
    });
  }

  function describe(r, from, to) {
    var list = r.results.slice(from, to);
    return Promise.all([loadDocs(list), loadMeta(list)]).then(function () {
      return list.map(function (x) {
        var item = detail(summary(x.doc), x.anchor, r.terms);
        item.score = x.score;
        return item;
      });
    });
  }

  /** The sentence with the most matched words (preferring the anchor heading): [text, marks]. */
  function snippet(s, anchor, terms) {
    var best = null;
    for (var i = 0; i + 1 < s.length; i += 2) {
      var h = s[i] - 1, text = s[i + 1], marks = [], seen = {};
      tokenize(text).forEach(function (tok) {
        var t = normalise(tok.text);
        if (t && terms[t]) { marks.push([tok.start, tok.end]); seen[t] = true; }
      });
      var score = Object.keys(seen).length * 10 + (h === anchor ? 1 : 0);
      if (!best || score > best.score) best = { score: score, text: text, marks: marks };
    }
    return best ? trim(best) : { text: '', marks: [] };
  }

  function trim(b) {
    var text = b.text, marks = b.marks, max = 240;
    if (text.length <= max) return { text: text, marks: marks };
    var start = marks.length ? Math.max(0, marks[0][0] - 60) : 0;
    if (start > 0) { var sp = text.indexOf(' ', start); start = sp >= 0 && sp < marks[0][0] ? sp + 1 : start; }
    start = outsideNumber(text, start, -1);
    var end = Math.min(text.length, start + max);
    if (end < text.length) { var sp2 = text.lastIndexOf(' ', end); end = sp2 > start ? sp2 : outsideNumber(text, end, 1); }
    var shifted = marks.filter(function (m) { return m[0] >= start && m[1] <= end; })
      .map(function (m) { return [m[0] - start + (start ? 1 : 0), m[1] - start + (start ? 1 : 0)]; });
    return { text: (start ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : ''), marks: shifted };
  }

  /** i, moved by step until it does not fall inside a number ("100.5" is never cut to "…0.5"). */
  function outsideNumber(text, i, step) {
    var numeric = /[0-9.,]/;
    while (i > 0 && i < text.length && numeric.test(text[i - 1]) && numeric.test(text[i])) i += step;
    return i;
  }

  /** Closest title and keyword words to the words nothing matched. */
  function suggest(p) {
    var out = [];
    p.slots.forEach(function (s) {
      if (s.active) return;
      var w = foldCase(s.label.replace(/\s+/g, ''));
      if (w.length < 3) return;
      var k = Math.max(2, Math.floor(w.length / 3)), found = [];
      if (!head.vocabNorm) head.vocabNorm = head.vocab.map(foldCase);
      head.vocab.forEach(function (v, i) {
        var d = osa(w, head.vocabNorm[i], k);
        if (d <= k) found.push({ v: v, d: d });
      });
      found.sort(function (a, b) { return a.d - b.d || (a.v < b.v ? -1 : 1); });
      found.slice(0, 5).forEach(function (f) { if (out.indexOf(f.v) < 0) out.push(f.v); });
    });
    return out.slice(0, 5);
  }

  /** `f` once terms.js is in (for the tests of the rules shared with Rust). */
  function afterInit(f) { return function (x) { return init().then(function () { return f(x); }); }; }

  window.wardbookSearch = {
    add: add, query: query, describe: describe, normalise: afterInit(normalise), timings: timings, ready: init,
    synonymRuns: afterInit(synonymRuns), phraseKey: afterInit(phraseKey), slug: afterInit(slug),
    headingIds: afterInit(headingIds), titleSlug: afterInit(titleSlug)
  };

  // ---- the page -------------------------------------------------------------------------------

  var els = {};
  var shown = 0, current = null, seq = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function marked(parent, text, marks) {
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      parent.appendChild(document.createTextNode(text.slice(pos, m[0])));
      parent.appendChild(el('mark', null, text.slice(m[0], m[1])));
      pos = m[1];
    });
    parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  function longDate(days) {
    var d = new Date(days * 864e5);
    return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
  }

  function titleMarks(title, terms) {
    var marks = [];
    tokenize(title).forEach(function (t) { var n = normalise(t.text); if (n && terms[n]) marks.push([t.start, t.end]); });
    return marks;
  }

  function renderItem(x, terms) {
    var li = el('li', 'search-result');
    li.setAttribute('data-review', x.review);
    li.setAttribute('data-section', x.sectionSlug);
    li.setAttribute('data-network', x.networkSlug);
    var h = el('h2', 'search-result-title');
    var a = el('a');
    a.href = x.href;
    marked(a, x.title, titleMarks(x.title, terms));
    h.appendChild(a);
    li.appendChild(h);
    var meta = el('p', 'search-meta');
    meta.appendChild(el('span', null, x.section));
    meta.appendChild(document.createTextNode(' · '));
    meta.appendChild(el('span', null, x.network));
    meta.appendChild(document.createTextNode(' '));
    var date = longDate(x.reviewDate);
    if (x.review === 'overdue') meta.appendChild(el('strong', 'tag tag-overdue', 'Review overdue since ' + date));
    else if (x.review === 'due') meta.appendChild(el('strong', 'tag tag-due', 'Review due ' + date));
    else meta.appendChild(el('span', 'tag tag-current', 'Current, review ' + date));
    li.appendChild(meta);
    return li;
  }

  /** Adds the best heading (to the link too) and the snippet to a rendered result. */
  function fillItem(li, x) {
    var a = li.querySelector('.search-result-title a');
    a.href = x.href;
    if (x.heading) a.parentNode.appendChild(el('span', 'search-heading', ' › ' + x.heading));
    if (x.snippet && x.snippet.text) {
      var p = el('p', 'search-snippet');
      marked(p, x.snippet.text, x.snippet.marks);
      li.appendChild(p);
    }
  }

  function filterValues() {
    return { section: els.section.value, network: els.network.value };
  }

  function syncUrl(q, f) {
    try {
      var params = new URLSearchParams();
      if (q) params.set('q', q);
      if (f.section) params.set('section', f.section);
      if (f.network) params.set('network', f.network);
      var s = params.toString();
      history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
    } catch (e) { /* file:// may refuse; the page still works */ }
  }

  /** The address of a search for `q` with the filters `f`. */
  function searchHref(q, f) {
    var params = new URLSearchParams();
    params.set('q', q);
    if (f.section) params.set('section', f.section);
    if (f.network) params.set('network', f.network);
    return 'search.html?' + params.toString();
  }

  /**
   * The notes above the results. An ambiguous word is never quietly read one way: every reading
   * is named, each a link that searches the query with that reading in its place.
   */
  function showNotes(r, q, f, n) {
    var box = els.notes;
    box.textContent = '';
    r.plan.notes.forEach(function (note) {
      if (box.firstChild) box.appendChild(document.createTextNode(' '));
      if (!note.means) {
        box.appendChild(document.createTextNode('“' + note.same + '” also searched as ' + note.labels.slice(0, 4).join(', ') + '.'));
        return;
      }
      box.appendChild(document.createTextNode('“' + note.means + '” can mean: '));
      note.labels.forEach(function (label, i) {
        if (i) box.appendChild(document.createTextNode(', '));
        var a = el('a', 'search-reading', label);
        a.href = searchHref(q.slice(0, note.start) + label + q.slice(note.end), f);
        box.appendChild(a);
      });
      box.appendChild(document.createTextNode('. All are searched; choose one to search only it.'));
    });
    var unknown = r.plan.slots.filter(function (s) { return !s.active; }).map(function (s) { return '“' + s.label + '”'; });
    if (unknown.length && n) {
      if (box.firstChild) box.appendChild(document.createTextNode(' '));
      box.appendChild(document.createTextNode('No guideline mentions ' + unknown.join(', ') + '.'));
    }
    box.hidden = !box.firstChild;
  }

  function run() {
    var q = els.q.value.trim(), f = filterValues(), my = ++seq;
    syncUrl(q, f);
    if (!q) { clear(); return Promise.resolve(); }
    return query(q, f).then(function (r) {
      if (my !== seq) return null;
      current = r;
      shown = 0;
      els.results.textContent = '';
      return page(r, q, f, my);
    }).catch(failed);
  }

  /**
   * Shows the next results at once from terms.js (title, section, network, review), then their
   * headings and snippets when the document chunks have loaded.
   */
  function page(r, q, f, my) {
    var list = r.results.slice(shown, shown + PAGE);
    return loadMeta(list).then(function () {
      if (my !== seq) return null;
      var items = list.map(function (x) { return summary(x.doc); });
      var lis = show(r, items, q, f);
      var first = performance.now();
      els.results.setAttribute('aria-busy', 'true');
      return loadDocs(list).then(function () {
        if (my !== seq) return;
        list.forEach(function (x, i) { fillItem(lis[i], detail(items[i], x.anchor, r.terms)); });
        els.results.setAttribute('aria-busy', 'false');
        timings.push({ q: q, ms: first - r.t0, at: first, done: performance.now() - r.t0, loaded: r.loaded });
      });
    });
  }

  function clear() {
    current = null;
    els.results.textContent = '';
    els.status.textContent = '';
    els.none.hidden = true;
    els.notes.hidden = true;
    els.moreWrap.hidden = true;
  }

  function show(r, items, q, f) {
    var frag = document.createDocumentFragment();
    var lis = items.map(function (x) { return frag.appendChild(renderItem(x, r.terms)); });
    els.results.appendChild(frag);
    shown += items.length;
    var n = r.results.length;
    var where = [];
    if (f.section) where.push(els.section.options[els.section.selectedIndex].text);
    if (f.network) where.push(els.network.options[els.network.selectedIndex].text);
    els.status.textContent = (n === 0 ? 'No guidelines found' : n + (n === 1 ? ' guideline' : ' guidelines') + ' found') +
      ' for “' + q + '”' + (where.length ? ' in ' + where.join(', ') : '') +
      (n > shown ? '. Showing ' + shown + '.' : '.');
    showNotes(r, q, f, n);
    els.moreWrap.hidden = n <= shown;
    els.none.hidden = n > 0;
    if (n === 0) showSuggestions(r.plan);
    return lis;
  }

  function showSuggestions(p) {
    if (!head.vocab) {
      // An index in parts loads the title words only when a search finds nothing.
      var my = seq;
      load('vocab', 0).then(function () { if (my === seq) showSuggestions(p); }).catch(failed);
      return;
    }
    var words = suggest(p);
    els.suggest.textContent = '';
    els.suggest.hidden = !words.length;
    if (!words.length) return;
    els.suggest.appendChild(document.createTextNode('Did you mean '));
    words.forEach(function (w, i) {
      if (i) els.suggest.appendChild(document.createTextNode(i === words.length - 1 ? ' or ' : ', '));
      var a = el('a', null, w);
      a.href = 'search.html?q=' + encodeURIComponent(w);
      els.suggest.appendChild(a);
    });
    els.suggest.appendChild(document.createTextNode('?'));
  }

  function more() {
    if (!current) return;
    var from = shown;
    page(current, els.q.value.trim(), filterValues(), seq).then(function () {
      var links = els.results.querySelectorAll('.search-result-title a');
      if (links[from]) links[from].focus();
    }).catch(failed);
  }

  function failed(e) {
    els.status.textContent = 'Search could not load its index. Use the A to Z of guidelines instead.';
    els.nojs.hidden = false;
    if (window.console && console.warn) console.warn(e);
  }

  function links() { return Array.prototype.slice.call(els.results.querySelectorAll('.search-result-title a')); }

  function onKey(e) {
    var t = e.target, tag = t && t.tagName;
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'SELECT') {
      e.preventDefault();
      els.q.focus();
      els.q.select();
      return;
    }
    var ls = links(), i = ls.indexOf(t);
    if (t === els.q && e.key === 'ArrowDown' && ls.length) { e.preventDefault(); ls[0].focus(); return; }
    if (i < 0) return;
    if (e.key === 'ArrowDown' && i + 1 < ls.length) { e.preventDefault(); ls[i + 1].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? ls[i - 1] : els.q).focus(); }
    else if (e.key === 'Escape') { e.preventDefault(); els.q.focus(); }
  }

  function start() {
    var form = document.getElementById('search');
    if (!form) return;
    base = form.getAttribute('data-index') || 'search/';
    version = form.getAttribute('data-version') || '';
    els = {
      form: form, q: document.getElementById('q'), section: document.getElementById('search-section'),
      network: document.getElementById('search-network'), status: document.getElementById('search-status'),
      results: document.getElementById('search-results'), notes: document.getElementById('search-notes'),
      none: document.getElementById('search-none'), suggest: document.getElementById('search-suggest'),
      more: document.getElementById('search-more'), moreWrap: document.getElementById('search-more-wrap'),
      nojs: document.getElementById('search-nojs')
    };
    els.nojs.hidden = true;
    var params = new URLSearchParams(location.search);
    els.q.value = params.get('q') || '';
    els.section.value = params.get('section') || '';
    els.network.value = params.get('network') || '';
    var site = document.getElementById('site-q');
    if (site) site.value = els.q.value;
    form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
    els.q.addEventListener('input', run);
    els.section.addEventListener('change', run);
    els.network.addEventListener('change', run);
    els.more.addEventListener('click', more);
    document.addEventListener('keydown', onKey);
    init().catch(failed);
    if (els.q.value) run(); else els.q.focus();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
