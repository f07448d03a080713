//! The HTTP API, one module per resource, merged here.

pub(crate) mod dto;
pub mod extract;
mod health;
mod info;
pub mod middleware;
pub mod openapi;
mod pagination;
pub mod settings;
mod tweets;
mod users;

use axum::{
    body::Bytes,
    extract::DefaultBodyLimit,
    http::header,
    routing::{any, get},
    Router,
};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The API's routes together with their OpenAPI description: a handler is
/// routed and documented by the same registration, so the two cannot drift.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(info::router())
        .merge(users::router())
        .merge(tweets::router())
        .merge(crate::auth::router())
}

/// The OpenAPI document of every API route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

pub fn router() -> Router<AppState> {
    let (api, doc) = api().split_for_parts();
    let doc = Bytes::from(
        doc.to_pretty_json()
            .expect("the OpenAPI document serializes"),
    );
    let api = api
        .route(
            "/api/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], doc) }),
        )
        // Unknown API paths get a JSON 404, never the HTML page.
        .route("/api", any(middleware::api_not_found))
        .route("/api/{*rest}", any(middleware::api_not_found))
        .layer(DefaultBodyLimit::max(settings::BODY_LIMIT));
    Router::new().merge(health::router()).merge(api)
}
