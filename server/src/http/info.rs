//! `/api/v1/info`: the API's releases (the original service's `apirelease`
//! records) and the limits a client should enforce the same way.

use app::api::{ApiInfo, ApiRelease, ErrorBody, Limits, PAGE_MAX, TWEET_MAX_CHARS};
use axum::{extract::State, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{error::Result, store::Store, AppState};

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
    /// served here; the server accepts a body exactly when that count is
    /// within it.
    #[test]
    fn the_server_accepts_what_the_clients_counter_allows() {
        for unit in ["a", "👍🏽", "e\u{301}", "👨\u{200d}👩\u{200d}👧", "🇫🇷"] {
            for n in [1, TWEET_MAX_CHARS - 1, TWEET_MAX_CHARS, TWEET_MAX_CHARS + 1] {
                let text = unit.repeat(n);
                let counted = tweet_length(&text) <= TWEET_MAX_CHARS;
                let bytes_fit = text.len() <= app::api::TWEET_MAX_BYTES;
                assert_eq!(
                    TweetBody::parse(&text).is_ok(),
                    counted && bytes_fit,
                    "{n} × {unit:?}"
                );
            }
        }
        assert_eq!(tweet_length("  padded  "), 6);
        assert_eq!(tweet_length("a\r\nb"), tweet_length("a\nb"));
    }
}
