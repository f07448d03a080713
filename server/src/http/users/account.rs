//! Changing and deleting your own account: `PUT`/`DELETE /api/v1/users/{id}`
//! and the original `DELETE /api/v1/users`.

use std::sync::Arc;

use app::api::{DeleteUser, ErrorBody, FieldCode, UpdateUser, UserDto};
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::IntoResponse,
};

use crate::{
    auth::{self, AuthUser, ClientIp},
    domain::{DisplayName, Email, Password, Username, Version},
    error::{Error, Result, Validator},
    http::{
        dto,
        extract::{parse_id, IfMatch, Json},
        settings::ApiState,
    },
    store::{Store, UserRecord},
    users::{ProfileChanges, Users},
    AppState,
};

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
pub(super) async fn update(
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
pub(super) async fn delete_by_id(
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
pub(super) async fn delete_by_name(
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
