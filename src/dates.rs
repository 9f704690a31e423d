//! Dates in serialised models: ISO `YYYY-MM-DD`, for `#[serde(serialize_with)]` and
//! `#[serde(deserialize_with)]`.

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

/// A date from ISO `YYYY-MM-DD`, for `#[serde(deserialize_with)]`.
pub fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let s: String = serde::Deserialize::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

/// An optional date from ISO `YYYY-MM-DD`, or none.
pub fn de_opt_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    let s: Option<String> = serde::Deserialize::deserialize(d)?;
    s.map(|s| s.parse().map_err(serde::de::Error::custom))
        .transpose()
}
