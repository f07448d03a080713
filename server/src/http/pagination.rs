//! `limit`, `max_id`, `since_id` and the `Link: <…>; rel="next"` header of
//! the newest-first lists.

use app::api::{FieldCode, PAGE_MAX};
use axum::http::HeaderValue;

use crate::{
    domain::Id,
    error::Validator,
    store::{Limit, Page},
};

/// The paging parameters as sent; parsed by [`page`] so that each bad one
/// is named in the 422.
#[derive(Debug, Default)]
pub struct RawPage {
    pub limit: Option<i64>,
    pub max_id: Option<String>,
    pub since_id: Option<String>,
}

/// `limit` must be 1..=100 (default 20); ids must be ids. Out of range is a
/// 422 rather than a silent clamp, so a client learns its request was wrong.
pub fn page(raw: &RawPage, validator: &mut Validator) -> Page {
    let limit = match raw.limit {
        None => Limit::DEFAULT,
        Some(n) if (1..=i64::from(PAGE_MAX)).contains(&n) => Limit::clamped(n),
        Some(_) => {
            validator.fail("limit", FieldCode::OutOfRange);
            Limit::DEFAULT
        }
    };
    let mut id = |name: &str, value: &Option<String>| -> Option<Id> {
        let value = value.as_deref()?;
        value
            .parse()
            .map_err(|_| validator.fail(name, FieldCode::Invalid))
            .ok()
    };
    Page {
        max_id: id("max_id", &raw.max_id),
        since_id: id("since_id", &raw.since_id),
        limit,
    }
}

/// `Link` to the next (older) page when this one is full. `extra` carries
/// the other query parameters (already encoded), e.g. `tweetedby=alice`.
pub fn next_link(
    path: &str,
    extra: Option<String>,
    page: &Page,
    returned: usize,
    last_id: Option<Id>,
) -> Option<HeaderValue> {
    let last_id = last_id?;
    if returned < usize::from(page.limit.get()) {
        return None;
    }
    let mut query = format!("limit={}&max_id={last_id}", page.limit.get());
    if let Some(since) = page.since_id {
        query.push_str(&format!("&since_id={since}"));
    }
    if let Some(extra) = extra {
        query.push('&');
        query.push_str(&extra);
    }
    HeaderValue::from_str(&format!("<{path}?{query}>; rel=\"next\"")).ok()
}
