//! Dates in serialised models: ISO `YYYY-MM-DD`, for `#[serde(serialize_with)]`.

use jiff::civil::Date;

/// A date as ISO `YYYY-MM-DD`, for `#[serde(serialize_with)]`.
pub fn ser_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// An optional date as ISO `YYYY-MM-DD`, or none.
pub fn ser_opt_date<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}
