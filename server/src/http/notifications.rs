//! `/api/v2/notifications`: yours, newest first; the unread count; marking
//! them read.

use app::api::{ErrorBody, MarkRead, NotificationList, Unread};
use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    dto,
    extract::{AppJson, AppQuery, AuthUser},
    pagination::{next_link, PageQuery},
};
use crate::{
    domain::Id,
    error::{Fields, Result},
    services::Notifications,
    AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(unread))
        .routes(routes!(mark_read))
}

/// Your notifications, newest first: follows, likes of your tweets,
/// replies to them and mentions of you, never from people you block or
/// who block you.
#[utoipa::path(get, path = "/api/v2/notifications", tag = "notifications", params(PageQuery),
    responses(
        (status = 200, body = NotificationList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn list(
    State(notifications): State<Notifications>,
    AuthUser(me): AuthUser,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<impl IntoResponse> {
    let page = query.page()?;
    let found = notifications.list(&me, page).await?;
    let link = next_link(
        "/api/v2/notifications",
        None,
        &page,
        found.len(),
        found.last().map(|n| n.id),
    );
    Ok((
        link.map(|link| [(axum::http::header::LINK, link)]),
        Json(NotificationList {
            notifications: found.iter().map(dto::notification).collect(),
        }),
    ))
}

/// How many of your notifications you have not read.
#[utoipa::path(get, path = "/api/v2/notifications/unread", tag = "notifications",
    responses((status = 200, body = Unread), (status = 401, body = ErrorBody)))]
async fn unread(
    State(notifications): State<Notifications>,
    AuthUser(me): AuthUser,
) -> Result<Json<Unread>> {
    Ok(Json(Unread {
        unread: notifications.unread(&me).await?,
    }))
}

/// Mark your notifications read: up to `up_to` (the newest you saw), or
/// all of them.
#[utoipa::path(post, path = "/api/v2/notifications/read", tag = "notifications",
    request_body = MarkRead,
    responses(
        (status = 204, description = "read"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn mark_read(
    State(notifications): State<Notifications>,
    AuthUser(me): AuthUser,
    AppJson(input): AppJson<MarkRead>,
) -> Result<StatusCode> {
    let up_to = input
        .up_to
        .as_deref()
        .map(|id| id.parse::<Id>().map_err(|_| app::api::FieldCode::Invalid));
    let (up_to,) = (("up_to", up_to.transpose()),).parsed()?;
    notifications.mark_read(&me, up_to).await?;
    Ok(StatusCode::NO_CONTENT)
}
