//! Chirp's server: the axum router with the server-rendered pages and the
//! REST API, over services that hold the rules, over the stores.
//!
//! `main.rs` only wires configuration to [`serve`]; tests and benchmarks
//! start the same router on port 0.

pub mod commands;
pub mod config;
pub mod connections;
pub mod domain;
pub mod error;
mod http;
mod pages;
pub mod passwords;
pub mod publish;
pub mod seed;
pub mod services;
pub mod shutdown;
mod state;
pub mod store;

use std::{any::Any, future::Future};

use axum::Router;
use tokio::net::TcpListener;

use crate::config::Config;

pub use state::AppState;

/// The whole application: the API, the pages and their forms, the site's
/// files, inside the layers every request passes.
pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(http::router())
        .merge(pages::router())
        .with_state(state.clone());
    let health = http::health().with_state(state.clone());
    http::middleware::apply(app, health, &state.config)
}

/// `routes` inside the layers every request of the app passes (for tests
/// of the layers themselves).
pub fn layered(routes: Router, config: &Config) -> Router {
    http::middleware::apply(routes, Router::new(), &std::sync::Arc::new(config.clone()))
}

/// The OpenAPI document of every API route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::openapi()
}

/// Serves until SIGINT or SIGTERM, then lets in-flight requests finish.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    serve_until(listener, state, shutdown::signal()).await
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve_until(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = connections::Limits {
        header_read_timeout: state.config.header_read_timeout(),
        per_peer: usize::try_from(state.config.max_connections_per_ip).unwrap_or(usize::MAX),
        shutdown_grace: connections::SHUTDOWN_GRACE,
    };
    connections::serve(listener, router(state), limits, shutdown).await
}

/// The text of a caught panic, for the log.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}
