//! `/api/v1/users`: the user list, profiles and sign-up here; changing and
//! deleting your own account in [`account`].

mod account;

use std::sync::Arc;

use app::api::{ErrorBody, SignUp, UserDto, UserList};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{AppendHeaders, IntoResponse},
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::{self, ClientIp, MaybeUser},
    domain::{DisplayName, Email, Id, Password, Username},
    error::{Error, Result, Validator},
    http::{
        dto,
        extract::{parse_id, Json, Query},
        pagination::{self, RawPage},
        settings::ApiState,
    },
    store::Store,
    users::{Registration, Users},
    AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, sign_up, account::delete_by_name))
        .routes(routes!(show, account::update, account::delete_by_id))
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

fn location(id: Id) -> HeaderValue {
    HeaderValue::from_str(&format!("/api/v1/users/{id}")).expect("digits")
}
