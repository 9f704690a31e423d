//! One byte-level repair of the exported PDF, for PDF/A: a stream whose data ends in a carriage
//! return (CR) is written by the PDF writer as `…CR LF endstream`, which a validator reads as a
//! CR LF end-of-line marker and so as data one byte shorter than its `/Length` (PDF/A-2, ISO
//! 19005-2 6.1.7.1). About one stream in 256 ends so (the last byte of a compressed stream is
//! its checksum's). Here a CR is put before that LF, so the marker is CR LF and the data keeps
//! its length; the cross-reference table and `startxref` move with the bytes. Nothing else
//! changes, and a PDF this cannot read is returned as it was.

/// `pdf` with every stream ending in CR given a CR LF end-of-line marker before `endstream`.
pub fn repair(pdf: Vec<u8>) -> Vec<u8> {
    match plan(&pdf) {
        Some(p) if !p.inserts.is_empty() => apply(&pdf, &p),
        _ => pdf,
    }
}

/// What to change: where to insert a CR, and where the table and its entries are.
struct Plan {
    /// Offsets (ascending) at which a CR goes in.
    inserts: Vec<usize>,
    /// Offset of the `xref` keyword.
    xref: usize,
    /// Offset of each in-use entry's 10-digit offset field, with that offset.
    entries: Vec<(usize, usize)>,
    /// Offset of the number after `startxref`, and its length.
    start: (usize, usize),
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn number(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let digits = bytes
        .get(at..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let n = std::str::from_utf8(bytes.get(at..at + digits)?)
        .ok()?
        .parse()
        .ok()?;
    Some((n, digits))
}

fn plan(pdf: &[u8]) -> Option<Plan> {
    let sx = pdf.len().saturating_sub(64);
    let key = find(pdf, b"startxref", sx)?;
    let num_at = key + b"startxref".len() + 1;
    let (xref, digits) = number(pdf, num_at)?;
    if !pdf.get(xref..)?.starts_with(b"xref") {
        return None;
    }
    // One section: "xref\n0 N\n" then N entries of 20 bytes.
    let line = find(pdf, b"\n", xref)? + 1;
    let (first, d1) = number(pdf, line)?;
    let (count, d2) = number(pdf, line + d1 + 1)?;
    if first != 0 {
        return None;
    }
    let table = line + d1 + 1 + d2;
    let table = table
        + pdf[table..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    let mut entries = Vec::new();
    for i in 0..count {
        let at = table + 20 * i;
        if pdf.get(at + 17) == Some(&b'n') {
            entries.push((at, number(pdf, at)?.0));
        }
    }
    let mut objects: Vec<usize> = entries.iter().map(|e| e.1).collect();
    objects.sort_unstable();
    let mut inserts = Vec::new();
    for (k, &obj) in objects.iter().enumerate() {
        let end = objects.get(k + 1).copied().unwrap_or(xref);
        if let Some(at) = stream_end_cr(pdf, obj, end) {
            inserts.push(at);
        }
    }
    Some(Plan {
        inserts,
        xref,
        entries,
        start: (num_at, digits),
    })
}

/// If the object at `obj` (ending before `end`) is a stream whose data ends in CR followed by
/// `\nendstream`, the offset of that LF.
fn stream_end_cr(pdf: &[u8], obj: usize, end: usize) -> Option<usize> {
    let head = find(pdf.get(..end)?, b">>\nstream\n", obj)?;
    let dict = &pdf[obj..head];
    let len_at = find(dict, b"/Length ", 0)?;
    let (len, _) = number(dict, len_at + b"/Length ".len())?;
    let data = head + b">>\nstream\n".len();
    let lf = data + len;
    (len > 0 && pdf.get(lf - 1) == Some(&b'\r') && pdf.get(lf..)?.starts_with(b"\nendstream"))
        .then_some(lf)
}

fn apply(pdf: &[u8], p: &Plan) -> Vec<u8> {
    let moved = |offset: usize| offset + p.inserts.partition_point(|&i| i <= offset);
    let mut out = Vec::with_capacity(pdf.len() + p.inserts.len());
    let mut from = 0;
    for &at in &p.inserts {
        out.extend_from_slice(&pdf[from..at]);
        out.push(b'\r');
        from = at;
    }
    out.extend_from_slice(&pdf[from..]);
    let shift = p.inserts.len();
    for &(at, offset) in &p.entries {
        let field = format!("{:010}", moved(offset));
        out[at + shift..at + shift + 10].copy_from_slice(field.as_bytes());
    }
    let (num_at, digits) = p.start;
    let mut fixed = out[..num_at + shift].to_vec();
    fixed.extend_from_slice((p.xref + shift).to_string().as_bytes());
    fixed.extend_from_slice(&out[num_at + shift + digits..]);
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF-shaped file: a stream of `data`, then a one-entry table.
    fn file(data: &[u8]) -> Vec<u8> {
        let mut f = b"%PDF-1.7\n".to_vec();
        let obj = f.len();
        f.extend_from_slice(format!("1 0 obj\n<</Length {}>>\nstream\n", data.len()).as_bytes());
        f.extend_from_slice(data);
        f.extend_from_slice(b"\nendstream\nendobj\n");
        let xref = f.len();
        f.extend_from_slice(
            format!("xref\n0 2\n0000000000 65535 f\r\n{obj:010} 00000 n\r\n").as_bytes(),
        );
        f.extend_from_slice(format!("trailer\n<<>>\nstartxref\n{xref}\n%%EOF").as_bytes());
        f
    }

    #[test]
    fn a_stream_ending_in_cr_gets_a_crlf_marker_and_the_table_moves() {
        let fixed = repair(file(b"ab\r"));
        let text = String::from_utf8_lossy(&fixed);
        assert!(text.contains("stream\nab\r\r\nendstream"), "{text}");
        let xref = text.find("xref").expect("table");
        assert!(
            text.ends_with(&format!("startxref\n{xref}\n%%EOF")),
            "{text}"
        );
        assert!(text.contains("0000000009 00000 n"), "{text}");
        // Anything else is left as it is.
        assert_eq!(repair(file(b"ab")), file(b"ab"));
        assert_eq!(repair(b"not a pdf".to_vec()), b"not a pdf".to_vec());
    }
}
