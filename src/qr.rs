//! QR codes of web addresses as SVG (the `qrcode` crate encodes; this draws): one path of the
//! dark modules in a square of module units with the standard four-module quiet zone, so the
//! same picture is vector in the printed book (typst places the SVG) and inline in a page's
//! print style. Used for a guideline's live page and the site's home on printed copies.

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write as _;

/// Modules of light margin around the code, as the standard asks.
const QUIET: usize = 4;

/// The QR code of `data` as an SVG document `size` wide and high (a CSS length such as `18mm`),
/// labelled `label` for assistive technology. `None` if the data is too long for a QR code.
pub fn svg(data: &str, size: &str, label: &str) -> Option<String> {
    // Medium error correction: survives a crease or a smudge on a ward printout.
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let side = width + 2 * QUIET;
    let mut path = String::with_capacity(width * width);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let _ = write!(
                    path,
                    "M{} {}h{}v1h-{}z",
                    start + QUIET,
                    y + QUIET,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" width=\"{size}\" height=\"{size}\" \
         viewBox=\"0 0 {side} {side}\" role=\"img\" aria-label=\"{label}\" \
         shape-rendering=\"crispEdges\"><title>{label}</title>\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>",
        label = escape(label)
    ))
}

/// `s` safe inside an XML attribute or element.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_a_square_with_quiet_zone_and_a_label() {
        let s = svg("https://example.org/a.html", "18mm", "QR code: a & b").expect("fits");
        // Version 2 for 26 bytes at level M: 25 modules, plus 8 of quiet zone.
        assert!(s.contains("viewBox=\"0 0 33 33\""), "{s}");
        assert!(s.contains("aria-label=\"QR code: a &amp; b\""), "{s}");
        assert!(s.contains("width=\"18mm\""));
        // The top-left finder pattern's first row: seven dark modules from the quiet zone.
        assert!(s.contains("M4 4h7v1h-7z"), "{s}");
        assert_eq!(svg(&"x".repeat(3000), "1mm", ""), None);
    }
}
