//! `/api/v1/users`: the list, profiles, sign-up, and changing or deleting
//! your own account.

use std::sync::Arc;

use app::api::{DeleteUser, ErrorBody, FollowCounts, SignUp, UpdateUser, UserDto, UserList};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::IntoResponse,
    Json,
};
use axum_extra::extract::CookieJar;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    cookies, dto,
    extract::{parse_id, AppJson, AppQuery, AuthUser, ClientIp, IfMatch, MaybeUser},
    pagination::{next_link, PageQuery},
};
use crate::{
    config::Config,
    domain::Id,
    error::Result,
    services::{Accounts, Named, Social},
    AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, sign_up, delete_by_name))
        .routes(routes!(show, update, delete_by_id))
}

/// Everyone, newest first.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(PageQuery),
    responses(
        (status = 200, body = UserList, description = "a page of users, newest first",
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 422, body = ErrorBody),
    ))]
async fn list(
    State(accounts): State<Accounts>,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<impl IntoResponse> {
    let page = query.page()?;
    let users = accounts.list(page).await?;
    let link = next_link(
        "/api/v1/users",
        None,
        &page,
        users.len(),
        users.last().map(|u| u.id),
    );
    let user_list = users.iter().map(|u| dto::user(u, false)).collect();
    Ok((
        link.map(|link| [(header::LINK, link)]),
        Json(UserList { user_list }),
    ))
}

/// Sign up. The new user is logged in: the response sets the session cookie.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = SignUp,
    responses(
        (status = 201, body = UserDto, description = "signed up and logged in",
            headers(("Set-Cookie" = String, description = "the new session"),
                ("Location" = String), ("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "username or email taken"),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
async fn sign_up(
    State(accounts): State<Accounts>,
    State(config): State<Arc<Config>>,
    ClientIp(ip): ClientIp,
    MaybeUser(current): MaybeUser,
    jar: CookieJar,
    AppJson(input): AppJson<SignUp>,
) -> Result<impl IntoResponse> {
    let previous = current.map(|c| c.session);
    let (user, token) = accounts.sign_up(&input, ip, previous).await?;
    Ok((
        StatusCode::CREATED,
        [
            (header::LOCATION, location(user.id)),
            (header::ETAG, dto::etag(&user)),
        ],
        cookies::with_session(jar, &config, &token),
        Json(dto::user(&user, true)),
    ))
}

/// A user; with `email` when it is the logged-in user themself.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = String, Path, description = "user id")),
    responses(
        (status = 200, body = UserDto, headers(("ETag" = String, description = "the user's revision, for If-Match"))),
        (status = 404, body = ErrorBody),
    ))]
async fn show(
    State(accounts): State<Accounts>,
    State(social): State<Social>,
    MaybeUser(me): MaybeUser,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    let user = accounts.get(parse_id(&id)?).await?;
    let is_self = me.is_some_and(|me| me.user.id == user.id);
    let counts = social.counts(user.id).await?;
    let shown = UserDto {
        follows: Some(FollowCounts {
            following: counts.following,
            followers: counts.followers,
        }),
        ..dto::user(&user, is_self)
    };
    Ok(([(header::ETAG, dto::etag(&user))], Json(shown)))
}

/// Change your name, email and/or password (the last needs
/// `current_password`). Send the `ETag` you read as `If-Match`: if the user
/// changed since, nothing is written and the answer is 412. Changing the
/// password logs out your other sessions and gives this one a new cookie.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", request_body = UpdateUser,
    params(("id" = String, Path, description = "user id"),
        ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
        (status = 200, body = UserDto, headers(("ETag" = String),
            ("Set-Cookie" = String, description = "a new session, after a password change"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 412, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
async fn update(
    State(state): State<AppState>,
    AuthUser(me): AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
    jar: CookieJar,
    AppJson(input): AppJson<UpdateUser>,
) -> Result<impl IntoResponse> {
    let (user, rotated) = state
        .accounts
        .update(&me, parse_id(&id)?, expected, &input, ip)
        .await?;
    let jar = match rotated {
        Some(token) => cookies::with_session(jar, &state.config, &token),
        None => jar,
    };
    Ok((
        [(header::ETAG, dto::etag(&user))],
        jar,
        Json(dto::user(&user, true)),
    ))
}

/// Delete your account, its tweets and all its sessions.
#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = String, Path, description = "user id"),
        ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
        (status = 204, description = "deleted; the session cookie is cleared"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 412, body = ErrorBody),
    ))]
async fn delete_by_id(
    State(accounts): State<Accounts>,
    State(config): State<Arc<Config>>,
    AuthUser(me): AuthUser,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
    jar: CookieJar,
) -> Result<impl IntoResponse> {
    accounts
        .delete(&me, Named::Id(parse_id(&id)?), expected)
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        cookies::without_session(jar, &config),
    ))
}

/// The original service's form: the body names the user to delete, who must
/// be the logged-in user.
#[utoipa::path(delete, path = "/api/v1/users", tag = "users", request_body = DeleteUser,
    responses(
        (status = 204, description = "deleted; the session cookie is cleared"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn delete_by_name(
    State(accounts): State<Accounts>,
    State(config): State<Arc<Config>>,
    AuthUser(me): AuthUser,
    jar: CookieJar,
    AppJson(input): AppJson<DeleteUser>,
) -> Result<impl IntoResponse> {
    accounts
        .delete(&me, Named::Username(&input.username), None)
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        cookies::without_session(jar, &config),
    ))
}

fn location(id: Id) -> HeaderValue {
    HeaderValue::from_str(&format!("/api/v1/users/{id}")).expect("digits")
}
