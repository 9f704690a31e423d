//! Which page of print.html each printed guideline goes on. A book whose print.html would be
//! larger than `[print] html_page_mb` is printed one section per page (`print-<section>.html`;
//! a section larger still in parts, `print-<section>-<n>.html`), and print.html becomes the
//! contents that links them, so that no page is too large for a browser to open.
//!
//! In come the printed guidelines in book order (so a section's guidelines are consecutive) and
//! each one's size; out comes the list of pages, or none when one page holds the book.

/// What a guideline adds to its page besides its body: the heading, the control block, the
/// notice and its line in the contents (about 1.5 KB in the default template).
pub const PER_GUIDELINE: usize = 2_048;

/// What a page holds besides its guidelines (the site's header, the cover, the styles).
pub const PER_PAGE: usize = 16_384;

/// One page of a split print.html.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Part {
    /// File name at the site root (`print-respiratory.html`, `print-respiratory-2.html`).
    pub file: String,
    /// Index of the section in `[[sections]]`.
    pub section: usize,
    /// The guidelines on the page (indices into `Book::guidelines`), in book order.
    pub guidelines: Vec<usize>,
    /// The part's number within its section, from 1.
    pub number: usize,
    /// How many parts its section has.
    pub of: usize,
}

/// The pages of print.html: `None` when the whole book fits in `limit` bytes; else per section
/// (in book order) as few pages as keep each within `limit` (a page holds at least one
/// guideline). `printed` is `(guideline index, section index, size)`, in book order.
pub fn plan(printed: &[(usize, usize, usize)], slugs: &[&str], limit: usize) -> Option<Vec<Part>> {
    let total: usize = PER_PAGE + printed.iter().map(|p| p.2 + PER_GUIDELINE).sum::<usize>();
    if total <= limit {
        return None;
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut size = 0;
    for &(i, section, bytes) in printed {
        let bytes = bytes + PER_GUIDELINE;
        let fits = parts
            .last()
            .is_some_and(|p| p.section == section && size + bytes <= limit);
        if fits {
            size += bytes;
        } else {
            size = PER_PAGE + bytes;
            let number = match parts.last() {
                Some(p) if p.section == section => p.number + 1,
                _ => 1,
            };
            parts.push(Part {
                file: String::new(),
                section,
                guidelines: Vec::new(),
                number,
                of: 0,
            });
        }
        if let Some(p) = parts.last_mut() {
            p.guidelines.push(i);
        }
    }
    name(&mut parts, slugs);
    Some(parts)
}

/// Sets each part's `of` and file name (a section's last part holds the count).
fn name(parts: &mut [Part], slugs: &[&str]) {
    let mut of = 0;
    for k in (0..parts.len()).rev() {
        if parts
            .get(k + 1)
            .is_none_or(|next| next.section != parts[k].section)
        {
            of = parts[k].number;
        }
        let p = &mut parts[k];
        p.of = of;
        let slug = slugs.get(p.section).copied().unwrap_or("section");
        p.file = if of == 1 {
            format!("print-{slug}.html")
        } else {
            format!("print-{slug}-{}.html", p.number)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_book_is_one_page() {
        let printed = [(0, 0, 1000), (1, 0, 1000), (2, 1, 1000)];
        assert_eq!(plan(&printed, &["a", "b"], 1_000_000), None);
    }

    #[test]
    fn a_large_book_is_split_by_section_and_a_large_section_in_parts() {
        let printed = [
            (0, 0, 10_000),
            (1, 0, 10_000),
            (2, 0, 10_000),
            (4, 1, 5_000),
            (5, 2, 100_000),
        ];
        let limit = PER_PAGE + 2 * (10_000 + PER_GUIDELINE);
        let parts = plan(&printed, &["resp", "neo", "big"], limit).expect("split");
        let got: Vec<(&str, Vec<usize>, usize, usize)> = parts
            .iter()
            .map(|p| (p.file.as_str(), p.guidelines.clone(), p.number, p.of))
            .collect();
        assert_eq!(
            got,
            [
                ("print-resp-1.html", vec![0, 1], 1, 2),
                ("print-resp-2.html", vec![2], 2, 2),
                ("print-neo.html", vec![4], 1, 1),
                ("print-big.html", vec![5], 1, 1),
            ]
        );
        // A limit of 0 puts every guideline on a page of its own.
        let parts = plan(&printed, &["resp", "neo", "big"], 0).expect("split");
        assert_eq!(parts.len(), 5);
        assert_eq!(parts[1].file, "print-resp-2.html");
        assert_eq!((parts[2].number, parts[2].of), (3, 3));
    }
}
