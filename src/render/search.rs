//! Search index (issue 3): built from the rendered guidelines. Placeholder until the search
//! engine lands: writes nothing.

use super::html::{File, Site};
use crate::diag::Diagnostic;

/// The search page and index files.
pub fn build(_site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    Ok(Vec::new())
}
