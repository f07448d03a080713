//! `/api/v2/search`: people by the start of their username or name, and
//! tweets by their words or a hashtag.

use app::api::{ErrorBody, TweetList, UserList};
use axum::{extract::State, response::IntoResponse, Json};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    dto,
    extract::{AppQuery, MaybeUser},
    pagination::PageQuery,
};
use crate::{
    error::Result,
    services::{search_query, Accounts, Tweets},
    store::Limit,
    AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tweets))
        .routes(routes!(users))
}

/// `q` and the paging parameters, spelled again (serde cannot `flatten`
/// into a struct that denies unknown fields).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words (every one must be in the tweet), a `#hashtag`, or the start
    /// of a username or name.
    #[param(min_length = 1, max_length = 100)]
    q: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
    /// Only tweets older than this id.
    #[param(pattern = "^[1-9][0-9]{0,18}$")]
    max_id: Option<String>,
    /// Only tweets newer than this id.
    #[param(pattern = "^[1-9][0-9]{0,18}$")]
    since_id: Option<String>,
}

impl SearchQuery {
    /// The query (see [`search_query`]) and the page.
    fn parsed(&self) -> Result<(String, crate::store::Page)> {
        let page = PageQuery {
            limit: self.limit,
            max_id: self.max_id.clone(),
            since_id: self.since_id.clone(),
        }
        .page()?;
        Ok((search_query(self.q.as_deref())?, page))
    }
}

/// The tweets a search finds, newest first: a `#hashtag` alone finds that
/// hashtag's; words find the tweets with every one of them (any case). A
/// logged-in reader sees none of those they block or who block them.
#[utoipa::path(get, path = "/api/v2/search/tweets", tag = "search", params(SearchQuery),
    responses(
        (status = 200, body = TweetList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 422, body = ErrorBody),
    ))]
async fn tweets(
    State(tweets): State<Tweets>,
    MaybeUser(me): MaybeUser,
    AppQuery(query): AppQuery<SearchQuery>,
) -> Result<impl IntoResponse> {
    let (q, page) = query.parsed()?;
    let reader = me.map(|me| me.user.id);
    let found = tweets.search(reader, &q, page).await?;
    let encoded: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let at = ("/api/v2/search/tweets", Some(format!("q={encoded}")));
    super::tweets::list_response(&tweets, reader, at, &page, &found).await
}

/// The users whose username or display name starts with `q` (a leading
/// `@` is left out; ASCII letters in any case), by username, at most
/// `limit`.
#[utoipa::path(get, path = "/api/v2/search/users", tag = "search", params(SearchQuery),
    responses((status = 200, body = UserList), (status = 422, body = ErrorBody)))]
async fn users(
    State(accounts): State<Accounts>,
    AppQuery(query): AppQuery<SearchQuery>,
) -> Result<Json<UserList>> {
    let (q, page) = query.parsed()?;
    let limit: Limit = page.limit;
    let found = accounts.search(&q, limit).await?;
    Ok(Json(UserList {
        user_list: found.iter().map(|u| dto::user(u, false)).collect(),
    }))
}
