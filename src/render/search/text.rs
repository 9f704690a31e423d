//! Words to search terms: the tokeniser and normaliser that the index (here) and the query (in
//! `themes/default/search.js`) share. A term is a word lowercased, accents folded, British and
//! American spellings folded to one form, and light English endings removed, so that
//! "Paediatric", "pediatric" and "paediatrics" are one term.
//!
//! The rules are data ([`FOLDS`], [`STOP_WORDS`], [`IRREGULAR`], [`SPECIAL_LETTERS`]) written
//! into the index for the browser, so both sides fold the same way; only the small stemmer and
//! tokeniser loops exist twice (Rust and JS), and both are checked against
//! `tests/fixtures/search-normalise.txt`.

use rustc_hash::FxHashMap;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// Longest term kept (longer "words" are URLs, hashes or noise).
pub const MAX_TERM_LEN: usize = 40;

/// Where a spelling fold applies within a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum At {
    /// Anywhere in the word.
    Any,
    /// Only at the end of the word, or before a final `s` (plural).
    End,
}

/// One British/American spelling fold: `from` becomes `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fold {
    /// Letters to replace.
    pub from: &'static str,
    /// Replacement.
    pub to: &'static str,
    /// Where the letters must stand.
    pub at: At,
    /// The next letter must be one of these (empty: any or none).
    pub before: &'static str,
    /// At least this many letters must come before the match.
    pub min_prefix: usize,
}

const fn fold(from: &'static str, to: &'static str) -> Fold {
    Fold {
        from,
        to,
        at: At::Any,
        before: "",
        min_prefix: 0,
    }
}

/// British → one folded spelling, applied in order, each to every match in the word. Both spellings
/// fold to the same letters, so the folded form is sometimes neither (e.g. `seisure`); it is never
/// shown to a reader.
pub const FOLDS: &[Fold] = &[
    // -oe- words where the US drops the o (not shoe, toe, does).
    fold("oesophag", "esophag"),
    fold("oedem", "edem"),
    fold("oestr", "estr"),
    fold("foet", "fet"),
    fold("coeli", "celi"),
    fold("rrhoe", "rrhe"),
    fold("pnoe", "pne"),
    fold("amoeb", "ameb"),
    fold("manoeuv", "maneuv"),
    fold("homoeo", "homeo"),
    // paediatric, haem-, anaesth-, -aemia, faeces, caesarean, aetiology…
    fold("ae", "e"),
    fold("sulph", "sulf"),
    fold("ceph", "cef"),
    // -ise/-ize, -isation/-ization, -yse/-yze.
    Fold {
        before: "aei",
        ..fold("iz", "is")
    },
    Fold {
        before: "aei",
        ..fold("yz", "ys")
    },
    // tumour, behaviour, colour (not hour, four, your, source).
    Fold {
        min_prefix: 3,
        ..fold("our", "or")
    },
    // centre, litre, fibre, catalogue, programme.
    Fold {
        at: At::End,
        ..fold("tre", "ter")
    },
    Fold {
        at: At::End,
        ..fold("bre", "ber")
    },
    Fold {
        at: At::End,
        ..fold("ogue", "og")
    },
    Fold {
        at: At::End,
        ..fold("amme", "am")
    },
];

/// Words too common to search for. Matched on the lowercased word, before folding.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have",
    "if", "in", "into", "is", "it", "its", "no", "not", "of", "on", "or", "that", "the", "their",
    "then", "there", "these", "they", "this", "those", "to", "was", "were", "which", "will",
    "with",
];

/// Irregular plurals and forms, to their stem (matched on the lowercased word, before folding).
pub const IRREGULAR: &[(&str, &str)] = &[
    ("analyses", "analysis"),
    ("appendices", "appendix"),
    ("bacterium", "bacteria"),
    ("bronchi", "bronchus"),
    ("children", "child"),
    ("crises", "crisis"),
    ("diagnoses", "diagnosis"),
    ("emboli", "embolus"),
    ("feet", "foot"),
    ("foci", "focus"),
    ("fungi", "fungus"),
    ("indices", "index"),
    ("larvae", "larva"),
    ("men", "man"),
    ("mice", "mouse"),
    ("prognoses", "prognosis"),
    ("stimuli", "stimulus"),
    ("teeth", "tooth"),
    ("thrombi", "thrombus"),
    ("vertebrae", "vertebra"),
    ("women", "woman"),
];

/// Letters that Unicode decomposition does not fold to ASCII.
pub const SPECIAL_LETTERS: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('ø', "o"),
    ('đ', "d"),
    ('ð', "d"),
    ('ł', "l"),
    ('þ', "th"),
    ('ı', "i"),
];

/// Everything the browser needs to normalise a query exactly as the index was normalised.
#[derive(Debug, Clone, Serialize)]
pub struct Rules {
    /// Spelling folds.
    pub folds: &'static [Fold],
    /// Stop words.
    pub stop: &'static [&'static str],
    /// Irregular forms.
    pub irregular: &'static [(&'static str, &'static str)],
    /// Letters folded by hand.
    pub special: Vec<(String, &'static str)>,
}

/// The normalisation rules, for the index file.
pub fn rules() -> Rules {
    Rules {
        folds: FOLDS,
        stop: STOP_WORDS,
        irregular: IRREGULAR,
        special: SPECIAL_LETTERS
            .iter()
            .map(|(c, s)| (c.to_string(), *s))
            .collect(),
    }
}

/// True for characters that make up words: ASCII letters and digits, and letters beyond Latin-1
/// punctuation (the same ranges the browser uses, since ES2017 has no `\p{L}`).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let u = c as u32;
    u >= 0xC0
        && !matches!(u,
            0xD7 | 0xF7
            | 0x2000..=0x2BFF
            | 0x2E00..=0x2E7F
            | 0x3000..=0x303F
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF0F
            | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65
            | 0xFFF0..=0xFFFF
            | 0x1F000..)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The word as written (`Crohn's`, `D&V`); [`normalize`] drops the apostrophe.
    pub text: &'a str,
    /// Byte offset of the word in the text.
    pub start: usize,
    /// Byte offset just after the word.
    pub end: usize,
    /// True when a hyphen joins this word to the next (`co-amoxiclav`).
    pub hyphen_next: bool,
}

/// Splits `text` into words. Apostrophes and `&` between letters stay inside a word (`D&V`,
/// `Crohn's`); a hyphen between letters splits but is remembered; `#` is a word of its own.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    if text.is_ascii() {
        tokenize_ascii(text)
    } else {
        tokenize_any(text)
    }
}

/// [`tokenize`] for ASCII text, a byte at a time (most guideline text).
fn tokenize_ascii(text: &str) -> Vec<Token<'_>> {
    let b = text.as_bytes();
    let word = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let mut out: Vec<Token<'_>> = Vec::with_capacity(b.len() / 6);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'#' {
            out.push(Token {
                text: "#",
                start: i,
                end: i + 1,
                hyphen_next: false,
            });
            i += 1;
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            if c == b'-'
                && word(i.wrapping_sub(1))
                && word(i + 1)
                && let Some(last) = out.last_mut()
                && last.end == i
            {
                last.hyphen_next = true;
            }
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < b.len()
            && (b[i].is_ascii_alphanumeric() || (matches!(b[i], b'\'' | b'&') && word(i + 1)))
        {
            i += 1;
        }
        out.push(Token {
            text: &text[start..i],
            start,
            end: i,
            hyphen_next: false,
        });
    }
    out
}

/// [`tokenize`] for any text, a character at a time.
fn tokenize_any(text: &str) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::with_capacity(text.len() / 6);
    let mut it = text.char_indices().peekable();
    let next_is_word = |it: &std::iter::Peekable<std::str::CharIndices<'_>>| {
        it.clone().nth(1).is_some_and(|(_, c)| is_word_char(c))
    };
    let mut prev_word = false;
    while let Some((start, c)) = it.next() {
        if c == '#' {
            out.push(Token {
                text: "#",
                start,
                end: start + 1,
                hyphen_next: false,
            });
            prev_word = false;
            continue;
        }
        if !is_word_char(c) {
            if is_hyphen(c)
                && prev_word
                && it.peek().is_some_and(|&(_, n)| is_word_char(n))
                && let Some(last) = out.last_mut()
                && last.end == start
            {
                last.hyphen_next = true;
            }
            prev_word = false;
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(p, n)) = it.peek() {
            if is_word_char(n) || ((is_apostrophe(n) || n == '&') && next_is_word(&it)) {
                end = p + n.len_utf8();
                it.next();
            } else {
                break;
            }
        }
        out.push(Token {
            text: &text[start..end],
            start,
            end,
            hyphen_next: false,
        });
        prev_word = true;
    }
    out
}

/// Lowercase, accents and special letters folded, apostrophes dropped (`Schönlein` →
/// `schonlein`, `Crohn's` → `crohns`).
pub fn fold_case(word: &str) -> String {
    if word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'&') {
        return word.to_ascii_lowercase();
    }
    let lower = word.replace(is_apostrophe, "").to_lowercase();
    let mut out = String::with_capacity(lower.len());
    if lower.is_ascii() {
        out.push_str(&lower);
        return out;
    }
    for c in lower.nfd() {
        if ('\u{300}'..='\u{36F}').contains(&c) {
            continue;
        }
        match SPECIAL_LETTERS.iter().find(|(s, _)| *s == c) {
            Some((_, rep)) => out.push_str(rep),
            None => out.push(c),
        }
    }
    out
}

/// Applies one spelling fold to every match in `word` (which contains `f.from`).
fn apply_fold(word: &str, f: &Fold) -> String {
    let b = word.as_bytes();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < b.len() {
        if word[i..].starts_with(f.from) && fold_applies(word, i, f) {
            out.push_str(f.to);
            i += f.from.len();
        } else {
            let ch = word[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&word[i..i + ch]);
            i += ch;
        }
    }
    out
}

fn fold_applies(word: &str, i: usize, f: &Fold) -> bool {
    let after = i + f.from.len();
    let rest = &word[after..];
    if word[..i].chars().count() < f.min_prefix {
        return false;
    }
    if !f.before.is_empty() && !rest.chars().next().is_some_and(|c| f.before.contains(c)) {
        return false;
    }
    match f.at {
        At::Any => true,
        At::End => rest.is_empty() || rest == "s",
    }
}

/// For each byte, the folds whose letters start with it (bit k for `FOLDS[k]`).
const FOLD_FIRST: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut k = 0;
    while k < FOLDS.len() {
        t[FOLDS[k].from.as_bytes()[0] as usize] |= 1 << k;
        k += 1;
    }
    t
};

/// Applies every spelling fold in order.
pub fn fold_spelling(word: &str) -> String {
    // Which folds can match at all, in one pass (most words need none): `str::contains` per fold
    // would set up a substring searcher 21 times per word.
    let b = word.as_bytes();
    let mut maybe = 0u32;
    for i in 0..b.len() {
        let mut cand = FOLD_FIRST[b[i] as usize];
        while cand != 0 {
            let k = cand.trailing_zeros() as usize;
            cand &= cand - 1;
            if b[i..].starts_with(FOLDS[k].from.as_bytes()) {
                maybe |= 1 << k;
            }
        }
    }
    let mut w = word.to_string();
    let mut changed = false;
    for (k, f) in FOLDS.iter().enumerate() {
        let occurs = if changed {
            w.as_bytes()
                .windows(f.from.len())
                .any(|x| x == f.from.as_bytes())
        } else {
            maybe & (1 << k) != 0
        };
        if occurs {
            let folded = apply_fold(&w, f);
            if folded != w {
                changed = true;
                w = folded;
            }
        }
    }
    w
}

fn has_vowel(s: &str) -> bool {
    s.chars().any(|c| "aeiouy".contains(c))
}

/// Removes plural and common verb endings: `fits`/`fitting` → `fit`, `allergies` → `allergy`,
/// `nebulised`/`nebulise` → `nebulis`, `seizures` → `seizur`. Words of 3 letters or fewer stay.
pub fn stem(word: &str) -> String {
    let n = word.chars().count();
    if n <= 3 || !word.is_ascii() {
        return word.to_string();
    }
    let mut w = word.to_string();
    let mut verb = false;
    if let Some(s) = w.strip_suffix("ies") {
        w = format!("{s}y");
    } else if let Some(s) = w.strip_suffix("sses") {
        w = format!("{s}ss");
    } else if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        // abscess, virus, sepsis: not plurals.
    } else if let Some(s) = w.strip_suffix('s').filter(|s| has_vowel(s)) {
        // HLHS: no vowel left means an abbreviation, not a plural.
        w = s.to_string();
    } else if let Some(s) = w
        .strip_suffix("ing")
        .filter(|s| s.len() >= 3 && has_vowel(s))
    {
        w = s.to_string();
        verb = true;
    } else if let Some(s) = w
        .strip_suffix("ed")
        .filter(|s| s.len() >= 3 && has_vowel(s) && !s.ends_with('e'))
    {
        w = s.to_string();
        verb = true;
    }
    if verb {
        let b = w.as_bytes();
        let l = b.len();
        if l >= 2 && b[l - 1] == b[l - 2] && b"bdfgmnprt".contains(&b[l - 1]) {
            w.pop();
        }
    }
    if w.len() >= 4 && w.ends_with('e') {
        w.pop();
    }
    w
}

/// The search term for one word, or `None` for a stop word or an empty word.
pub fn normalize(word: &str) -> Option<String> {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        // Numbers have no case, spelling or endings (and are most of a book's distinct words).
        return (!word.is_empty() && word.len() <= MAX_TERM_LEN).then(|| word.to_string());
    }
    let lower = fold_case(word);
    if lower.is_empty() || STOP_WORDS.contains(&lower.as_str()) {
        return None;
    }
    if let Some((_, to)) = IRREGULAR.iter().find(|(from, _)| *from == lower) {
        return Some((*to).to_string());
    }
    let term = stem(&fold_spelling(&lower));
    if term.is_empty() || term.len() > MAX_TERM_LEN {
        return None;
    }
    Some(term)
}

/// True for terms that are only searched in titles, keywords and headings: single characters and
/// plain numbers (doses and dates would swell the index and rarely help).
pub fn is_short(term: &str) -> bool {
    term.chars().count() == 1 || term.chars().all(|c| c.is_ascii_digit())
}

/// A normalised word, with where it was in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term.
    pub term: String,
    /// Byte range of the word in the text.
    pub start: usize,
    /// End of the word.
    pub end: usize,
}

/// Every term of `text`, in order, with hyphenated compounds also as one joined term
/// (`co-amoxiclav` gives `co`, `coamoxiclav` and `amoxiclav`).
pub fn terms(text: &str, cache: &mut Cache) -> Vec<Term> {
    term_ids(text, cache)
        .into_iter()
        .map(|(id, start, end)| Term {
            term: cache.term(id).to_string(),
            start,
            end,
        })
        .collect()
}

/// [`terms`] as numbers in `cache`: `(term, start, end)`.
pub fn term_ids(text: &str, cache: &mut Cache) -> Vec<(u32, usize, usize)> {
    let mut out = Vec::with_capacity(text.len() / 5 + 4);
    each_term(text, cache, |hit, start, end| {
        out.push((hit.id, start, end))
    });
    out
}

/// A word's term as [`Cache`] numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The term's number.
    pub id: u32,
    /// [`is_short`] of the term.
    pub short: bool,
}

/// Calls `f(term, start, end)` for every term of `text`, in [`term_ids`] order, without
/// allocating per word (the index's inner loop).
pub fn each_term(text: &str, cache: &mut Cache, mut f: impl FnMut(Hit, usize, usize)) {
    if text.is_ascii() {
        each_term_ascii(text, cache, &mut f);
    } else {
        for (id, start, end) in term_ids_any(text, cache) {
            f(cache.hit(id), start, end);
        }
    }
}

/// Byte classes for the ASCII scanner: letters and digits, and the joiners `'` and `&`.
const ALNUM: u8 = 1;
const JOINER: u8 = 2;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            t[c] = ALNUM;
        } else if b == b'\'' || b == b'&' {
            t[c] = JOINER;
        }
        c += 1;
    }
    t
};

/// End of the ASCII word starting at `start` (the rule of [`tokenize`]).
fn ascii_word_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    loop {
        while i < b.len() && CLASS[b[i] as usize] == ALNUM {
            i += 1;
        }
        if i + 1 < b.len() && CLASS[b[i] as usize] == JOINER && CLASS[b[i + 1] as usize] == ALNUM {
            i += 2;
        } else {
            return i;
        }
    }
}

/// Masks keeping the first `n` bytes of a little-endian `u128`.
const MASKS: [u128; 17] = {
    let mut m = [0u128; 17];
    let mut n = 1;
    while n < 17 {
        m[n] = if n == 16 {
            u128::MAX
        } else {
            (1u128 << (n * 8)) - 1
        };
        n += 1;
    }
    m
};

/// The word of up to 16 bytes at `b[start..end]`, packed little-endian into an integer (zeros after
/// the word) with one 16-byte load: the key of [`Cache::hit_packed`]. `None` for longer words
/// and for words too near the end of `b` to load 16 bytes.
#[inline]
fn packed(b: &[u8], start: usize, end: usize) -> Option<u128> {
    let raw: [u8; 16] = b.get(start..start + 16)?.try_into().ok()?;
    let mask = MASKS.get(end - start)?;
    Some(u128::from_le_bytes(raw) & mask)
}

/// [`each_term`] for ASCII text in one pass, without a token list (the bulk of a build's words).
fn each_term_ascii(text: &str, cache: &mut Cache, f: &mut impl FnMut(Hit, usize, usize)) {
    let b = text.as_bytes();
    let word = |i: usize| b.get(i).is_some_and(|&c| CLASS[c as usize] == ALNUM);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if CLASS[c as usize] != ALNUM {
            if c == b'#'
                && let Some(hit) = cache.hit_of("#")
            {
                f(hit, i, i + 1);
            }
            i += 1;
            continue;
        }
        let start = i;
        let end = ascii_word_end(b, start);
        // Most words: a masked load as the key, no copy, no string hashing.
        let hit = match packed(b, start, end) {
            Some(key) => cache.hit_packed_at(key, text, start, end),
            None => cache.hit_of(text.get(start..end).unwrap_or_default()),
        };
        if let Some(hit) = hit {
            f(hit, start, end);
        }
        if end < b.len() && b[end] == b'-' && word(end + 1) {
            // A hyphenated compound: also the joined word, from here to the chain's end.
            let mut joined = text[start..end].to_string();
            let mut e = end;
            while e < b.len() && b[e] == b'-' && word(e + 1) {
                let next = ascii_word_end(b, e + 1);
                joined.push_str(&text[e + 1..next]);
                e = next;
            }
            if let Some(hit) = cache.hit_of(&joined) {
                f(hit, start, e);
            }
        }
        i = end;
    }
}

/// [`term_ids`] for any text, from the token list.
fn term_ids_any(text: &str, cache: &mut Cache) -> Vec<(u32, usize, usize)> {
    let tokens = tokenize(text);
    let mut out = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if let Some(id) = cache.id(t.text) {
            out.push((id, t.start, t.end));
        }
        if t.hyphen_next {
            let mut j = i;
            let mut joined = t.text.to_string();
            while tokens[j].hyphen_next && j + 1 < tokens.len() {
                j += 1;
                joined.push_str(tokens[j].text);
            }
            if let Some(id) = cache.id(&joined) {
                out.push((id, t.start, tokens[j].end));
            }
        }
    }
    out
}

/// The terms of a phrase as a query sees them: each word's term, a hyphenated compound as its
/// parts (or, if every part is a stop word, as the joined word). Synonym keys and values are
/// matched this way.
pub fn phrase_terms(phrase: &str) -> Vec<String> {
    phrase_terms_cached(phrase, &mut Cache::default())
}

/// [`phrase_terms`] with a cache (for many phrases).
pub fn phrase_terms_cached(phrase: &str, cache: &mut Cache) -> Vec<String> {
    phrase_units_cached(phrase, cache).concat()
}

/// [`phrase_terms`] by query unit: a word, or a hyphenated compound, each with its terms (units
/// without any are left out). search.js `units` reads a query the same way.
pub fn phrase_units_cached(phrase: &str, cache: &mut Cache) -> Vec<Vec<String>> {
    let toks = tokenize(phrase);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut j = i;
        let mut raw = toks[i].text.to_string();
        while toks[j].hyphen_next && j + 1 < toks.len() {
            j += 1;
            raw.push_str(toks[j].text);
        }
        let parts: Vec<String> = toks[i..=j]
            .iter()
            .filter_map(|t| cache.id(t.text).map(|id| cache.term(id).to_string()))
            .collect();
        if !parts.is_empty() {
            out.push(parts);
        } else if j > i
            && let Some(id) = cache.id(&raw)
        {
            out.push(vec![cache.term(id).to_string()]);
        }
        i = j + 1;
    }
    out
}

/// Remembers normalised words (a book repeats its vocabulary many times over) and numbers the
/// terms, so that callers count and compare numbers instead of strings.
#[derive(Debug, Default)]
pub struct Cache {
    /// The most recent word of up to 16 bytes seen at each of [`FRONT`] places (by hash): a
    /// table that stays in the CPU's first-level cache, in front of `short_words`.
    front: Vec<(u128, Slot)>,
    /// Words of up to 16 bytes, packed into an integer (hashing and comparing them is then cheap).
    short_words: FxHashMap<u128, Slot>,
    /// Longer words.
    words: FxHashMap<String, Slot>,
    /// Term → number.
    ids: FxHashMap<String, u32>,
    /// Number → term.
    terms: Vec<String>,
    /// Number → [`is_short`].
    short: Vec<bool>,
}

/// Places in [`Cache`]'s front table (a power of two).
const FRONT: usize = 2048;

/// A cached word: its [`Hit`] as one number (`NONE` for a stop word).
#[derive(Debug, Clone, Copy)]
struct Slot(u32);

impl Slot {
    const NONE: Slot = Slot(u32::MAX);
    const SHORT: u32 = 1 << 31;

    fn of(hit: Option<Hit>) -> Slot {
        match hit {
            Some(h) => Slot(h.id | if h.short { Self::SHORT } else { 0 }),
            None => Self::NONE,
        }
    }

    fn hit(self) -> Option<Hit> {
        (self.0 != u32::MAX).then_some(Hit {
            id: self.0 & !Self::SHORT,
            short: self.0 & Self::SHORT != 0,
        })
    }
}

/// A word's place in the front table: a multiplicative hash of its packed bytes (never 0 for a
/// word, so the empty places, key 0, never match).
#[inline]
fn front_place(key: u128) -> usize {
    let mixed = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> (64 - FRONT.trailing_zeros())) as usize
}

impl Cache {
    /// The number of `word`'s term, or `None` for a stop word.
    pub fn id(&mut self, word: &str) -> Option<u32> {
        self.hit_of(word).map(|h| h.id)
    }

    /// [`Cache::id`] with [`is_short`] of the term.
    pub fn hit_of(&mut self, word: &str) -> Option<Hit> {
        let b = word.as_bytes();
        if !b.is_empty() && b.len() <= 16 {
            let mut key = [0u8; 16];
            key[..b.len()].copy_from_slice(b);
            return self.hit_packed(u128::from_le_bytes(key), word);
        }
        if let Some(&slot) = self.words.get(word) {
            return slot.hit();
        }
        let hit = self.number(word);
        self.words.insert(word.to_string(), Slot::of(hit));
        hit
    }

    /// [`Cache::id`] of a word of 1 to 16 bytes, given as its bytes packed little-endian into
    /// `key` (zeros after the word).
    pub fn id_packed(&mut self, key: u128, word: &str) -> Option<u32> {
        self.hit_packed(key, word).map(|h| h.id)
    }

    /// [`Cache::id_packed`] with [`is_short`] of the term.
    pub fn hit_packed(&mut self, key: u128, word: &str) -> Option<Hit> {
        self.hit_packed_at(key, word, 0, word.len())
    }

    /// [`Cache::hit_packed`] of the word `text[start..end]` (sliced only when it is new).
    #[inline]
    fn hit_packed_at(&mut self, key: u128, text: &str, start: usize, end: usize) -> Option<Hit> {
        let place = front_place(key);
        if let Some(&(k, slot)) = self.front.get(place)
            && k == key
        {
            return slot.hit();
        }
        self.hit_packed_slow(key, place, text.get(start..end).unwrap_or_default())
    }

    /// [`Cache::hit_packed`] for a word not in the front table.
    #[inline(never)]
    fn hit_packed_slow(&mut self, key: u128, place: usize, word: &str) -> Option<Hit> {
        if self.front.is_empty() {
            self.front = vec![(0, Slot::NONE); FRONT];
        }
        let slot = match self.short_words.get(&key) {
            Some(&slot) => slot,
            None => {
                let slot = Slot::of(self.number(word));
                self.short_words.insert(key, slot);
                slot
            }
        };
        if let Some(f) = self.front.get_mut(place) {
            *f = (key, slot);
        }
        slot.hit()
    }

    /// Normalises `word` and numbers its term (new terms get the next number).
    fn number(&mut self, word: &str) -> Option<Hit> {
        let term = normalize(word)?;
        let id = match self.ids.get(&term) {
            Some(&id) => id,
            None => {
                let id = self.terms.len() as u32;
                self.short.push(is_short(&term));
                self.ids.insert(term.clone(), id);
                self.terms.push(term);
                id
            }
        };
        Some(self.hit(id))
    }

    /// The [`Hit`] of term number `id`.
    pub fn hit(&self, id: u32) -> Hit {
        Hit {
            id,
            short: self.is_short(id),
        }
    }

    /// Every term numbered so far, by number.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// The term numbered `id`.
    pub fn term(&self, id: u32) -> &str {
        self.terms.get(id as usize).map_or("", String::as_str)
    }

    /// [`is_short`] of the term numbered `id`.
    pub fn is_short(&self, id: u32) -> bool {
        self.short.get(id as usize).copied().unwrap_or(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(w: &str) -> String {
        normalize(w).unwrap_or_default()
    }

    #[test]
    fn british_and_american_spellings_meet() {
        for (a, b) in [
            ("paediatric", "pediatric"),
            ("haemorrhage", "hemorrhage"),
            ("oesophageal", "esophageal"),
            ("anaemia", "anemia"),
            ("sulphate", "sulfate"),
            ("anaesthetist", "anesthetist"),
            ("diarrhoea", "diarrhea"),
            ("oedema", "edema"),
            ("nebuliser", "nebulizer"),
            ("immunisation", "immunization"),
            ("tumours", "tumors"),
            ("litres", "liters"),
            ("centre", "center"),
            ("cephalexin", "cefalexin"),
            ("Schönlein", "schonlein"),
        ] {
            assert_eq!(n(a), n(b), "{a} / {b}");
        }
    }

    #[test]
    fn endings_and_plurals() {
        assert_eq!(n("fits"), "fit");
        assert_eq!(n("fitting"), "fit");
        assert_eq!(n("bedwetting"), "bedwet");
        assert_eq!(n("allergies"), n("allergy"));
        assert_eq!(n("seizures"), n("seizure"));
        assert_eq!(n("nebulised"), n("nebulise"));
        assert_eq!(n("abscesses"), "abscess");
        assert_eq!(n("virus"), "virus");
        assert_eq!(n("sepsis"), "sepsis");
        assert_eq!(n("bleeding"), "bleed");
        assert_eq!(n("children"), "child");
        assert_eq!(n("Crohn's"), "crohn");
        assert_eq!(normalize("the"), None);
    }

    #[test]
    fn tokens_keep_ampersands_and_join_hyphens() {
        let mut c = Cache::default();
        let t: Vec<String> = terms("D&V, co-amoxiclav # x-ray", &mut c)
            .into_iter()
            .map(|t| t.term)
            .collect();
        assert_eq!(
            t,
            [
                "d&v",
                "co",
                "coamoxiclav",
                "amoxiclav",
                "#",
                "x",
                "xray",
                "ray"
            ]
        );
    }

    #[test]
    fn ascii_term_ids_agree_with_the_general_ones() {
        let mut c = Cache::default();
        for t in [
            "D&V, co-amoxiclav # x-ray and mother-to-child C# A&E",
            "Crohn's child's parents' -x- a--b 'quoted' & && 5-10 mg/kg end- -start",
        ] {
            let mut ascii = Vec::new();
            each_term_ascii(t, &mut c, &mut |h, s, e| ascii.push((h.id, s, e)));
            assert_eq!(ascii, term_ids_any(t, &mut c), "{t}");
        }
    }

    #[test]
    fn ascii_tokenizer_agrees_with_the_general_one() {
        for t in [
            "D&V, co-amoxiclav # x-ray",
            "Crohn's child's parents' -x- a--b 'quoted' & && 5-10 mg/kg",
            "end-",
            "-start #1 C# A&E&",
            "",
        ] {
            assert_eq!(tokenize_ascii(t), tokenize_any(t), "{t}");
        }
    }

    #[test]
    fn shared_fixture_matches() {
        let text = include_str!("../../../tests/fixtures/search-normalise.txt");
        for line in text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (word, want) = line.split_once('\t').unwrap_or((line, ""));
            assert_eq!(normalize(word).unwrap_or_default(), want, "{word}");
        }
    }
}
