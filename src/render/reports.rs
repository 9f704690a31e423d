//! Review reports (issue 6): reviews.html, reviews.csv, manifest.json. Placeholder: writes nothing.

use super::html::{File, Site};
use crate::diag::Diagnostic;

/// The report files.
pub fn build(_site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    Ok(Vec::new())
}
