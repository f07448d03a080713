//! Chirp's server: the axum router with the server-rendered pages and the API.
//!
//! `main.rs` only wires configuration to [`serve`]; tests and benchmarks start
//! the same router on port 0.

pub mod auth;
pub mod cli;
pub mod config;
pub mod connections;
pub mod domain;
pub mod error;
pub mod fill;
pub mod http;
pub mod pages;
pub mod passwords;
pub mod seed;
pub mod shutdown;
pub mod store;
pub mod users;

use std::{future::Future, sync::Arc};

use app::App;
use axum::{extract::FromRef, Router};
use leptos::prelude::LeptosOptions;
use leptos_axum::generate_route_list;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

/// Everything a request handler may need, shared by every request.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// The API's security settings and rate limiters.
    pub api: Arc<http::settings::ApiState>,
    pub store: store::Store,
    /// The user use cases (register, update, delete, authenticate).
    pub users: users::Users,
}

impl AppState {
    pub fn new(config: &config::Config, store: store::Store) -> Self {
        let hasher = passwords::PasswordHasher::for_this_machine(config.storage.bcrypt_cost);
        Self {
            leptos_options: config.leptos.clone(),
            api: http::settings::ApiState::new(config.api.clone()),
            users: users::Users::new(store.clone(), hasher),
            store,
        }
    }
}

/// The whole application: API routes, Leptos pages, and the static site files.
pub fn router(state: AppState) -> Router {
    let pages = generate_route_list(App);
    let app = Router::new()
        .merge(http::router())
        .merge(pages::router(&state, pages))
        .with_state(state.clone());
    // 5xx are not logged again here: a 500 is logged with its cause where it
    // is made (`Error::Internal`), and logging every shed 503 at ERROR would
    // spend the CPU an overload leaves on writing log lines.
    let trace = TraceLayer::new_for_http()
        .on_failure(tower_http::trace::DefaultOnFailure::new().level(tracing::Level::DEBUG));
    http::middleware::apply(app, &state.api.config).layer(trace)
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
    // The peer address (`ConnectInfo`) feeds the per-IP rate limits.
    let header_read_timeout = state.api.config.header_read_timeout;
    connections::serve(listener, router(state), header_read_timeout, shutdown).await
}
