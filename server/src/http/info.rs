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
