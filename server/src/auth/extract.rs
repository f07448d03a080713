//! Who is asking: `AuthUser` for endpoints that need a login (401 without),
//! `MaybeUser` for those that only behave differently with one, and
//! `ClientIp` for the rate limits.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
};

use axum::{
    extract::{ConnectInfo, FromRef, FromRequestParts},
    http::request::Parts,
};

use crate::{
    auth::session,
    domain::{Id, Timestamp},
    error::Error,
    http::settings::ApiState,
    store::{Store, TokenHash},
};

/// A logged-in user: the session cookie names a live session.
#[derive(Clone, Copy, Debug)]
pub struct AuthUser {
    pub id: Id,
    /// The session this request came with (kept when a password change ends
    /// the user's other sessions).
    pub session: TokenHash,
}

/// The logged-in user, if any. A missing, unknown or expired session is
/// `None`, never an error.
#[derive(Clone, Copy, Debug)]
pub struct MaybeUser(pub Option<AuthUser>);

impl<S> FromRequestParts<S> for MaybeUser
where
    Store: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        if let Some(cached) = parts.extensions.get::<MaybeUser>() {
            return Ok(*cached);
        }
        let Some(token) = session::token(&parts.headers) else {
            return Ok(Self(None));
        };
        let hash = TokenHash::of(token);
        let store = Store::from_ref(state);
        let user = store
            .sessions
            .get(&hash, Timestamp::now())
            .await?
            .map(|found| AuthUser {
                id: found.user_id,
                session: hash,
            });
        // Both extractors may run for one request; ask the store once.
        parts.extensions.insert(Self(user));
        Ok(Self(user))
    }
}

impl<S> FromRequestParts<S> for AuthUser
where
    Store: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        MaybeUser::from_request_parts(parts, state)
            .await?
            .0
            .ok_or(Error::Unauthorized)
    }
}

/// The client's address, for the rate limits: the peer of the connection,
/// or, behind a reverse proxy (`CHIRP_TRUST_X_FORWARDED_FOR=1`), the address
/// that proxy appended to `X-Forwarded-For` — the last one, since earlier
/// entries come from the client and can be forged.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    Arc<ApiState>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        if !Arc::<ApiState>::from_ref(state)
            .config
            .trust_x_forwarded_for
        {
            return Ok(Self(peer));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .next_back()
            .and_then(|last| last.trim().parse().ok());
        Ok(Self(forwarded.unwrap_or(peer)))
    }
}
