//! `/api/v1/info`: the API's releases (the original service's `apirelease`
//! records) and the limits a client should enforce the same way.

use app::api::{ApiInfo, ApiRelease, ErrorBody, Limits, PAGE_MAX, TWEET_MAX_CHARS};
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{error::Result, http::extract::Json, store::Store, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(info))
}

#[utoipa::path(get, path = "/api/v1/info", tag = "info",
    responses((status = 200, body = ApiInfo), (status = 503, body = ErrorBody)))]
async fn info(State(store): State<Store>) -> Result<Json<ApiInfo>> {
    let api_version = store
        .releases
        .list()
        .await?
        .into_iter()
        .map(|r| ApiRelease {
            version: r.version,
            buildtime: r.buildtime,
            links: r.links,
            methods: r.methods,
        })
        .collect();
    Ok(Json(ApiInfo {
        api_version,
        limits: Limits {
            tweet_max_chars: TWEET_MAX_CHARS,
            page_max: PAGE_MAX,
        },
    }))
}

#[cfg(test)]
mod tests {
    use app::api::{tweet_length, TWEET_MAX_CHARS};

    use crate::domain::TweetBody;

    /// The browser counts with `app::api::tweet_length` against the limit
    /// served here; the server validates with `TweetBody`. They must agree.
    #[test]
    fn the_client_counts_tweets_as_the_server_does() {
        assert_eq!(TWEET_MAX_CHARS, TweetBody::MAX_GRAPHEMES);
        for text in [
            "hello",
            "  padded  ",
            "👍🏽👍🏽",
            "e\u{301}",
            "a\r\nb",
            "👨\u{200d}👩\u{200d}👧",
        ] {
            assert_eq!(
                tweet_length(text),
                TweetBody::length(TweetBody::parse(text).unwrap().as_str()),
                "{text:?}"
            );
        }
        let longest = "👍🏽".repeat(TWEET_MAX_CHARS);
        assert_eq!(tweet_length(&longest), TWEET_MAX_CHARS);
        assert!(TweetBody::parse(&longest).is_ok());
        assert!(TweetBody::parse(&format!("{longest}x")).is_err());
    }
}
