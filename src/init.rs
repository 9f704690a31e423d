//! `wardbook init DIR`: a new book with book.toml and one example guideline that builds cleanly.

use anyhow::{Context, Result, bail};
use std::path::Path;

const BOOK_TOML: &str = r#"[book]
title = "Paediatric Guidelines"
edition = "2027-28"
organisation = "Our children's network"
sample = true

[build]
source = "guidelines"
output = "public"
review_warning_days = 90

[[sections]]
slug = "respiratory"
title = "Respiratory"

[[networks]]
slug = "resp-network"
name = "Respiratory Network"
"#;

const EXAMPLE: &str = r#"---
title: "Example guideline"
section: "Respiratory"
network: "Respiratory Network"
review_date: 2029-01-31
version: "1.0"
keywords:
  - "example"
---

> **Sample content - not for clinical use.**

## Introduction

Replace this text with the guideline. Headings, tables, footnotes[^1] and links to other
guidelines (`[Asthma](asthma.md)`) are all Markdown.

## Assessment

| Age | Respiratory rate (breaths/min) |
| --- | --- |
| Under 1 year | 30–40 |
| 1 to 2 years | 25–35 |

[^1]: A footnote.
"#;

/// Creates a new book in `dir`; refuses when `dir` already holds a book.
pub fn init(dir: &Path) -> Result<()> {
    if dir.join(crate::config::BOOK_TOML).exists() {
        bail!(
            "{} already holds a book.toml; not overwriting it",
            dir.display()
        );
    }
    let guidelines = dir.join("guidelines/respiratory");
    std::fs::create_dir_all(&guidelines)
        .with_context(|| format!("cannot create {}", guidelines.display()))?;
    std::fs::write(dir.join(crate::config::BOOK_TOML), BOOK_TOML)
        .context("cannot write book.toml")?;
    let example = guidelines.join("example.md");
    if !example.exists() {
        std::fs::write(&example, EXAMPLE)
            .with_context(|| format!("cannot write {}", example.display()))?;
    }
    Ok(())
}
