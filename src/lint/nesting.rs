//! `deep-nesting`: lists and block quotes nested more than [`MAX_DEPTH`] levels deep. A reader
//! on a ward cannot follow an instruction seven indents in, and the printed book cannot set
//! nesting without limit either (each level is indented; a few hundred levels cannot be typeset
//! at all). A structural rule: it reads the Markdown's blocks, not the prose the other rules scan.
//!
//! In: a guideline body. Out: one body offset per outermost list or quote that goes too deep
//! (where it first does), however deep it goes.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Rule id.
pub const ID: &str = "deep-nesting";

/// Levels of lists and block quotes a reader can follow.
pub const MAX_DEPTH: usize = 6;

/// The guidance shown as help.
pub const HELP: &str =
    "flatten it: give the deeper steps their own heading, a separate list or a table";

/// Body offsets where lists and quotes first nest deeper than [`MAX_DEPTH`], with the depth
/// reached there: one per outermost list or quote, so a list 400 levels deep is one finding.
pub fn too_deep(body: &str) -> Vec<(usize, usize)> {
    if !may_be_deep(body) {
        return Vec::new();
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth == MAX_DEPTH + 1 && deepest <= MAX_DEPTH {
                    out.push((range.start, depth));
                }
                deepest = deepest.max(depth);
                if let Some(last) = out.last_mut().filter(|_| deepest > MAX_DEPTH) {
                    last.1 = deepest;
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    deepest = 0;
                }
            }
            _ => {}
        }
    }
    out
}

/// A cheap test that rules out nearly every guideline before it is parsed again: a container
/// seven levels deep needs, on the line that opens its innermost level, either a marker or at
/// least two columns of indent for each level around it.
fn may_be_deep(body: &str) -> bool {
    body.lines().any(|line| {
        let mut levels = 0usize;
        let mut columns = 0usize;
        let mut chars = line.chars().peekable();
        while let Some(&c) = chars.peek() {
            match c {
                ' ' => columns += 1,
                '\t' => columns += 4,
                '>' | '-' | '*' | '+' => levels += 1,
                '0'..='9' | '.' | ')' => levels += usize::from(c == '.' || c == ')'),
                _ => break,
            }
            chars.next();
        }
        levels + columns / 2 > MAX_DEPTH
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested_list(levels: usize) -> String {
        (0..levels)
            .map(|i| format!("{}- level {}\n", "  ".repeat(i), i + 1))
            .collect()
    }

    #[test]
    fn six_levels_pass_and_seven_do_not() {
        assert!(too_deep(&nested_list(6)).is_empty());
        let body = nested_list(7);
        let start = body.find("- level 7").expect("level 7");
        assert_eq!(too_deep(&body), [(start, 7)]);
    }

    #[test]
    fn one_finding_however_deep() {
        let found = too_deep(&nested_list(400));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, 400);
    }

    #[test]
    fn quotes_and_lists_count_together_and_each_outer_block_once() {
        let deep = "> > > - - - > deep\n\ntext\n\n> > > > > > > also deep\n";
        let found = too_deep(deep);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&deep[found[1].0..found[1].0 + 1], ">");
        assert!(too_deep("> > > quote\n\n- a\n  - b\n").is_empty());
    }

    #[test]
    fn the_quick_test_never_misses_a_deep_block() {
        for levels in 7..12 {
            assert!(may_be_deep(&nested_list(levels)));
            assert!(may_be_deep(&format!("{}x\n", "> ".repeat(levels))));
            let enumerated: String = (0..levels)
                .map(|i| format!("{}1. step\n", "   ".repeat(i)))
                .collect();
            assert!(!too_deep(&enumerated).is_empty());
        }
        assert!(!may_be_deep("Give 5 mg.\n\n- a\n  - b\n"));
    }
}
