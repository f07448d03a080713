//! What a search may ask, for the API and the search page alike.

use app::api::FieldCode;

use crate::error::{Fields, Result};

/// Longest search, in characters.
pub const QUERY_MAX_CHARS: usize = 100;

/// A search as typed: trimmed, not blank, at most [`QUERY_MAX_CHARS`]
/// characters; a 422 naming `q` otherwise.
pub fn search_query(raw: Option<&str>) -> Result<String> {
    let q = match raw.map(str::trim) {
        None => Err(FieldCode::Required),
        Some("") => Err(FieldCode::Blank),
        Some(q) if q.chars().count() > QUERY_MAX_CHARS => Err(FieldCode::TooLong),
        Some(q) => Ok(q.to_string()),
    };
    let (q,) = (("q", q),).parsed()?;
    Ok(q)
}
