//! Server-side authentication: sessions in the store, the `AuthUser` and
//! `MaybeUser` extractors, login/logout/me, and the rate limit on guessing.

mod extract;
pub(crate) mod handlers;
pub mod rate_limit;
pub mod session;

use axum::http::HeaderValue;

pub use extract::{AuthUser, ClientIp, MaybeUser};
pub use handlers::router;

use crate::{
    domain::Id,
    error::Result,
    http::settings::ApiState,
    store::{Store, TokenHash},
};

/// Logs `user_id` in with a brand-new session (ending `previous`, the one
/// the request came with) and returns the `Set-Cookie` value.
pub async fn start_session(
    store: &Store,
    api: &ApiState,
    previous: Option<TokenHash>,
    user_id: Id,
) -> Result<HeaderValue> {
    let ttl = api.config.session_ttl;
    let issued = session::rotate(store.sessions.as_ref(), previous, user_id, ttl).await?;
    Ok(session::cookie(
        &issued.token,
        ttl,
        api.config.secure_cookies,
    ))
}
