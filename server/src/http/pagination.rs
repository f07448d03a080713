//! `limit`, `max_id`, `since_id` and the `Link: <…>; rel="next"` header of
//! the newest-first lists.

use app::api::FieldCode;
use axum::http::HeaderValue;
use serde::Deserialize;

use crate::{
    domain::Id,
    error::{Fields, Result},
    store::{Limit, Page},
};

/// The paging parameters as sent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Only items older than this id.
    #[param(pattern = "^[1-9][0-9]{0,18}$")]
    pub max_id: Option<String>,
    /// Only items newer than this id.
    #[param(pattern = "^[1-9][0-9]{0,18}$")]
    pub since_id: Option<String>,
}

impl PageQuery {
    /// `limit` must be 1..=100 (default 20); ids must be ids. Out of range
    /// is a 422 rather than a silent clamp, so a client learns its request
    /// was wrong.
    pub fn page(&self) -> Result<Page> {
        let id = |value: &Option<String>| {
            value
                .as_deref()
                .map(|text| text.parse::<Id>().map_err(|_| FieldCode::Invalid))
                .transpose()
        };
        let limit = match self.limit {
            None => Ok(Limit::DEFAULT),
            Some(n) => Limit::new(n).ok_or(FieldCode::OutOfRange),
        };
        let (limit, max_id, since_id) = (
            ("limit", limit),
            ("max_id", id(&self.max_id)),
            ("since_id", id(&self.since_id)),
        )
            .parsed()?;
        Ok(Page {
            max_id,
            since_id,
            limit,
        })
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
    let last_id = last_id.filter(|_| page.is_full(returned))?;
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

/// `Link` to the next (newer) page of an oldest-first list (a thread's
/// replies) when this one is full.
pub fn later_link(
    path: &str,
    page: &Page,
    returned: usize,
    last_id: Option<Id>,
) -> Option<HeaderValue> {
    let last_id = last_id.filter(|_| page.is_full(returned))?;
    let mut query = format!("limit={}&since_id={last_id}", page.limit.get());
    if let Some(max) = page.max_id {
        query.push_str(&format!("&max_id={max}"));
    }
    HeaderValue::from_str(&format!("<{path}?{query}>; rel=\"next\"")).ok()
}
