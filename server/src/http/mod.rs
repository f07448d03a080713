//! The REST API, one module per resource, merged here with the OpenAPI
//! document they register; and the layers every request passes.

mod auth;
pub(crate) mod cookies;
pub(crate) mod dto;
pub(crate) mod extract;
mod follows;
mod health;
mod info;
pub(crate) mod middleware;
mod notifications;
mod openapi;
pub(crate) mod pagination;
mod search;
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

use crate::{error::Error, AppState};

/// Largest request body the API and the forms read (413 beyond).
pub const BODY_LIMIT: usize = 16 * 1024;

/// The API's routes together with their OpenAPI description: a handler is
/// routed and documented by the same registration, so the two cannot drift.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(info::router())
        .merge(users::router())
        .merge(follows::router())
        .merge(tweets::router())
        .merge(notifications::router())
        .merge(search::router())
        .merge(auth::router())
}

/// The OpenAPI document of every API route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

/// The API and its document; unknown API paths get a JSON 404, never the
/// HTML page.
pub fn router() -> Router<AppState> {
    let (api, doc) = api().split_for_parts();
    let doc = Bytes::from(
        doc.to_pretty_json()
            .expect("the OpenAPI document serializes"),
    );
    api.route(
        "/api/openapi.json",
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], doc) }),
    )
    .route("/api", any(unknown_endpoint))
    .route("/api/{*rest}", any(unknown_endpoint))
    .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// Liveness and readiness, which `middleware::apply` keeps outside the
/// load shedder.
pub fn health() -> Router<AppState> {
    health::router()
}

async fn unknown_endpoint() -> Error {
    Error::UnknownEndpoint
}
