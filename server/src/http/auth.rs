//! `/api/v1/auth`: JSON login and logout for any client (the browser's
//! forms use the same session cookie), and "who am I".

use std::sync::Arc;

use app::api::{ErrorBody, LoginRequest, UserDto};
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::IntoResponse,
    Json,
};
use axum_extra::extract::CookieJar;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    cookies, dto,
    extract::{AppJson, AuthUser, ClientIp, MaybeUser},
};
use crate::{
    config::Config,
    error::Result,
    services::{Accounts, Sessions},
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
        (status = 429, body = ErrorBody), (status = 503, body = ErrorBody),
    ))]
async fn login(
    State(accounts): State<Accounts>,
    State(config): State<Arc<Config>>,
    ClientIp(ip): ClientIp,
    MaybeUser(current): MaybeUser,
    jar: CookieJar,
    AppJson(input): AppJson<LoginRequest>,
) -> Result<impl IntoResponse> {
    let previous = current.map(|c| c.session);
    let (user, token) = accounts.log_in(&input, ip, previous).await?;
    Ok((
        [(header::ETAG, dto::etag(&user))],
        cookies::with_session(jar, &config, &token),
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
async fn logout(
    State(sessions): State<Sessions>,
    State(config): State<Arc<Config>>,
    MaybeUser(current): MaybeUser,
    jar: CookieJar,
) -> Result<impl IntoResponse> {
    if let Some(current) = current {
        sessions.end(&current.session).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        cookies::without_session(jar, &config),
    ))
}

/// The logged-in user, with their email.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses(
        (status = 200, body = UserDto, headers(("ETag" = String))),
        (status = 401, body = ErrorBody),
    ))]
async fn me(AuthUser(me): AuthUser) -> impl IntoResponse {
    (
        [(header::ETAG, dto::etag(&me.user))],
        Json(dto::user(&me.user, true)),
    )
}
