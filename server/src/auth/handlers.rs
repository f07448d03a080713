//! `/api/v1/auth`: JSON login and logout for any client (the browser's forms
//! use the same session cookie), and "who am I".

use std::sync::Arc;

use app::api::{ErrorBody, LoginRequest, UserDto};
use axum::{extract::State, http::header, response::IntoResponse};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{session, start_session, AuthUser, ClientIp, MaybeUser};
use crate::{
    domain::Password,
    error::{Error, Result},
    http::{dto, extract::Json, settings::ApiState},
    store::Store,
    users::Users,
    AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

/// Log in with a username (or email) and password. Sets a new session
/// cookie, replacing any session the request came with. Wrong password and
/// unknown user are the same 401, in the same time.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = UserDto, description = "logged in",
            headers(("Set-Cookie" = String, description = "a new session, replacing any the request had"),
                ("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
pub(crate) async fn login(
    State(users): State<Users>,
    State(store): State<Store>,
    State(api): State<Arc<ApiState>>,
    ClientIp(ip): ClientIp,
    MaybeUser(current): MaybeUser,
    Json(input): Json<LoginRequest>,
) -> Result<impl IntoResponse> {
    api.login_limiter
        .check(ip)
        .map_err(|retry_after| Error::RateLimited { retry_after })?;
    // A string that cannot be a password cannot be anyone's: answering at
    // once says nothing about whether the user exists.
    let password = Password::parse(&input.password).map_err(|_| Error::BadCredentials)?;
    let Some(user) = users.authenticate(&input.username, &password).await? else {
        // The address, not the name typed: people type passwords there too.
        tracing::info!(%ip, "login failed");
        return Err(Error::BadCredentials);
    };
    let cookie = start_session(&store, &api, current.map(|c| c.session), user.id).await?;
    tracing::info!(user_id = %user.id, "logged in");
    Ok((
        [
            (header::SET_COOKIE, cookie),
            (header::ETAG, dto::etag(user.version)),
        ],
        Json(dto::user(&user, true)),
    ))
}

/// End this session, server-side. Always succeeds, so a client can call it
/// without knowing whether its session is still alive.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "logged out",
            headers(("Set-Cookie" = String, description = "clears the session cookie"))),
        (status = 403, body = ErrorBody),
    ))]
pub(crate) async fn logout(
    State(store): State<Store>,
    State(api): State<Arc<ApiState>>,
    MaybeUser(current): MaybeUser,
) -> Result<impl IntoResponse> {
    if let Some(current) = current {
        store.sessions.delete(&current.session).await?;
    }
    Ok((
        axum::http::StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            session::clear_cookie(api.config.secure_cookies),
        )],
    ))
}

/// The logged-in user, with their email.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses(
        (status = 200, body = UserDto, headers(("ETag" = String))),
        (status = 401, body = ErrorBody),
    ))]
pub(crate) async fn me(State(store): State<Store>, me: AuthUser) -> Result<impl IntoResponse> {
    let user = store.users.by_id(me.id).await?.ok_or(Error::Unauthorized)?;
    Ok((
        [(header::ETAG, dto::etag(user.version))],
        Json(dto::user(&user, true)),
    ))
}
