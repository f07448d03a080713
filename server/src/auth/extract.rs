//! Who is asking: `AuthUser` for endpoints that need a login (401 without),
//! `MaybeUser` for those that only behave differently with one, and
//! `ClientIp` for the rate limits.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRef, FromRequestParts},
    http::request::Parts,
};

use crate::{
    auth::session,
    domain::{Id, Timestamp},
    error::Error,
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

/// The peer address the connection came from. Behind a reverse proxy every
/// client shares the proxy's address, so rate limits there belong in the
/// proxy (documented in the README).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Error> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip()),
        ))
    }
}
