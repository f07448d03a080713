//! The HTTP API, one module per resource, merged here.

mod health;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(health::router())
}
