//! `/api/v1/users`: sign-up, profiles, profile changes and account deletion.

use std::sync::Arc;

use app::api::{DeleteUser, ErrorBody, FieldCode, SignUp, UpdateUser, UserDto, UserList};
use axum::{
    extract::{FromRequestParts, Path, State},
    http::{header, request::Parts, StatusCode},
    response::{AppendHeaders, IntoResponse},
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::{self, AuthUser, ClientIp, MaybeUser},
    domain::{DisplayName, Email, Id, Password, Username, Version},
    error::{Error, Result, Validator},
    http::{
        dto,
        extract::{Json, Query},
        pagination::{self, RawPage},
        settings::ApiState,
    },
    store::{Store, UserRecord},
    users::{ProfileChanges, Registration, Users},
    AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, sign_up, delete_by_name))
        .routes(routes!(show, update, delete_by_id))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
    /// Only users older than this id.
    #[param(pattern = "^[1-9][0-9]{0,18}$")]
    max_id: Option<String>,
    /// Only users newer than this id.
    #[param(pattern = "^[1-9][0-9]{0,18}$")]
    since_id: Option<String>,
}

/// Everyone, newest first.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListQuery),
    responses(
        (status = 200, body = UserList, description = "a page of users, newest first",
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 422, body = ErrorBody),
    ))]
async fn list(
    State(store): State<Store>,
    Query(query): Query<ListQuery>,
) -> Result<impl IntoResponse> {
    let mut validator = Validator::new();
    let page = pagination::page(
        &RawPage {
            limit: query.limit,
            max_id: query.max_id,
            since_id: query.since_id,
        },
        &mut validator,
    );
    validator.finish()?;
    let users = store.users.list(page).await?;
    let link = pagination::next_link(
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
    State(users): State<Users>,
    State(store): State<Store>,
    State(api): State<Arc<ApiState>>,
    ClientIp(ip): ClientIp,
    MaybeUser(current): MaybeUser,
    Json(input): Json<SignUp>,
) -> Result<impl IntoResponse> {
    api.signup_limiter
        .check(ip)
        .map_err(|retry_after| Error::RateLimited { retry_after })?;
    let mut v = Validator::new();
    let username = v.check("username", Username::parse(&input.username));
    let email = v.check("email", Email::parse(&input.email));
    let name = v.check(
        "name",
        DisplayName::parse(input.name.as_deref().unwrap_or(&input.username)),
    );
    let password = v.check("password", Password::parse(&input.password));
    v.finish()?;
    let (Some(username), Some(email), Some(name), Some(password)) =
        (username, email, name, password)
    else {
        unreachable!("the validator passed, so every field parsed");
    };
    let record = users
        .register(Registration {
            username,
            email,
            name,
            password,
        })
        .await?;
    let login = auth::start_session(&store, &api, current.map(|c| c.session), record.id).await?;
    Ok((
        StatusCode::CREATED,
        AppendHeaders([
            (header::LOCATION, location(record.id)),
            (header::ETAG, dto::etag(record.version)),
            (header::SET_COOKIE, login),
        ]),
        Json(dto::user(&record, true)),
    ))
}

/// A user; with `email` when it is the logged-in user themself.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = String, Path, description = "user id")),
    responses(
        (status = 200, body = UserDto, headers(("ETag" = String, description = "the user's version, for If-Match"))),
        (status = 404, body = ErrorBody),
    ))]
async fn show(
    State(store): State<Store>,
    MaybeUser(me): MaybeUser,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    let id = parse_id(&id)?;
    let record = store.users.by_id(id).await?.ok_or(Error::NotFound)?;
    let is_self = me.is_some_and(|me| me.id == id);
    Ok((
        [(header::ETAG, dto::etag(record.version))],
        Json(dto::user(&record, is_self)),
    ))
}

/// Change your name, email and/or password (the last needs
/// `current_password`). Send the `ETag` you read as `If-Match`: if the user
/// changed since, nothing is written and the answer is 412. Changing the
/// password logs out your other sessions.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", request_body = UpdateUser,
    params(("id" = String, Path, description = "user id"),
        ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
        (status = 200, body = UserDto, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 412, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
async fn update(
    State(app): State<AppState>,
    me: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
    Json(input): Json<UpdateUser>,
) -> Result<impl IntoResponse> {
    let id = parse_id(&id)?;
    if id != me.id {
        return Err(Error::Forbidden("you can only change your own account"));
    }
    let (changes, new_password) = parse_update(&input)?;
    let record = app.store.users.by_id(id).await?.ok_or(Error::NotFound)?;
    if expected.is_some_and(|expected| expected != record.version) {
        return Err(Error::PreconditionFailed);
    }
    // Checked before anything is written, so a wrong current password
    // leaves the profile untouched too.
    if new_password.is_some() {
        check_current_password(&app, ip, &record, input.current_password.as_deref()).await?;
    }
    let mut record = app
        .users
        .update_profile(id, Some(record.version), changes)
        .await?;
    if let Some(password) = new_password {
        record = app
            .users
            .change_password(id, Some(record.version), &password)
            .await?;
        app.store
            .sessions
            .delete_for_user(id, Some(&me.session))
            .await?;
    }
    Ok((
        [(header::ETAG, dto::etag(record.version))],
        Json(dto::user(&record, true)),
    ))
}

/// The profile changes and the new password, or one 422 naming every bad
/// field.
fn parse_update(input: &UpdateUser) -> Result<(ProfileChanges, Option<Password>)> {
    let mut v = Validator::new();
    let changes = ProfileChanges {
        name: input
            .name
            .as_deref()
            .and_then(|n| v.check("name", DisplayName::parse(n))),
        email: input
            .email
            .as_deref()
            .and_then(|e| v.check("email", Email::parse(e))),
    };
    let password = input
        .password
        .as_deref()
        .and_then(|p| v.check("password", Password::parse(p)));
    if input.password.is_some() && input.current_password.is_none() {
        v.fail("current_password", FieldCode::Required);
    }
    v.finish()?;
    Ok((changes, password))
}

/// A password change needs the current one. Guessing it is guessing a
/// password, so it shares the login rate limit.
async fn check_current_password(
    app: &AppState,
    ip: std::net::IpAddr,
    record: &UserRecord,
    current: Option<&str>,
) -> Result<()> {
    app.api
        .login_limiter
        .check(ip)
        .map_err(|retry_after| Error::RateLimited { retry_after })?;
    let verified = match current.map(Password::parse) {
        Some(Ok(current)) => {
            app.users
                .hasher()
                .verify(&current, &record.password_hash)
                .await
        }
        _ => false,
    };
    if verified {
        Ok(())
    } else {
        Err(Error::invalid("current_password", FieldCode::Mismatch))
    }
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
    State(users): State<Users>,
    State(store): State<Store>,
    State(api): State<Arc<ApiState>>,
    me: AuthUser,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
) -> Result<impl IntoResponse> {
    let id = parse_id(&id)?;
    if id != me.id {
        return Err(Error::Forbidden("you can only delete your own account"));
    }
    delete_account(&users, &store, &api, me, expected).await
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
    State(users): State<Users>,
    State(store): State<Store>,
    State(api): State<Arc<ApiState>>,
    me: AuthUser,
    Json(input): Json<DeleteUser>,
) -> Result<impl IntoResponse> {
    let mut v = Validator::new();
    let username = v.check("username", Username::parse(&input.username));
    v.finish()?;
    let record = store.users.by_id(me.id).await?.ok_or(Error::Unauthorized)?;
    if username.is_none_or(|u| u.key() != record.username.key()) {
        return Err(Error::Forbidden("you can only delete your own account"));
    }
    delete_account(&users, &store, &api, me, None).await
}

async fn delete_account(
    users: &Users,
    store: &Store,
    api: &ApiState,
    me: AuthUser,
    expected: Option<Version>,
) -> Result<impl IntoResponse + use<>> {
    users.delete(me.id, expected).await?;
    // The store ends them with the user; this also covers a store that
    // does not, and costs one statement.
    store.sessions.delete_for_user(me.id, None).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            auth::session::clear_cookie(api.config.secure_cookies),
        )],
    ))
}

/// A path id that is not an id names no user: 404, like an unknown one.
pub fn parse_id(raw: &str) -> Result<Id> {
    raw.parse().map_err(|_| Error::NotFound)
}

fn location(id: Id) -> axum::http::HeaderValue {
    axum::http::HeaderValue::from_str(&format!("/api/v1/users/{id}")).expect("digits")
}

/// `If-Match: "7"` (or `W/"7"`): the user version the client last read.
/// Absent or `*` means any version. Anything else cannot match the current
/// version, so it is refused (412) before any work.
pub struct IfMatch(pub Option<Version>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(Self(None));
        };
        let text = value
            .to_str()
            .map_err(|_| Error::PreconditionFailed)?
            .trim();
        if text == "*" {
            return Ok(Self(None));
        }
        text.trim_start_matches("W/")
            .trim_matches('"')
            .parse::<u64>()
            .map(|n| Self(Some(Version::new(n))))
            .map_err(|_| Error::PreconditionFailed)
    }
}
