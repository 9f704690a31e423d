//! `wardbook serve` (issue 5): placeholder.
