//! `/api/v1/users/{id}/following` and `/followers`: whom a user follows and
//! who follows them; following and unfollowing as yourself.

use app::api::{ErrorBody, Relationship, TweetList, UserList};
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::IntoResponse,
    Json,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    dto,
    extract::{parse_id, AppQuery, AuthUser},
    pagination::{next_link, PageQuery},
};
use crate::{
    domain::User,
    error::Result,
    services::{Social, Tweets},
    store::{AuthoredTweet, Page},
    AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(follow, unfollow))
        .routes(routes!(following))
        .routes(routes!(followers))
        .routes(routes!(home))
        .routes(routes!(block, unblock))
        .routes(routes!(relationship))
}

/// Block `target`, as yourself (`id`): they can no longer follow you, and
/// neither of you follows the other any more. Blocking again is fine.
#[utoipa::path(put, path = "/api/v1/users/{id}/blocking/{target}", tag = "follows",
    params(("id" = String, Path, description = "your user id"),
        ("target" = String, Path, description = "the user to block")),
    responses(
        (status = 204, description = "you block them"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such user"),
        (status = 422, body = ErrorBody, description = "you cannot block yourself"),
    ))]
async fn block(
    State(social): State<Social>,
    AuthUser(me): AuthUser,
    Path((id, target)): Path<(String, String)>,
) -> Result<StatusCode> {
    social
        .block(&me.user, parse_id(&id)?, parse_id(&target)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop blocking `target`. Unblocking someone you do not block is fine.
#[utoipa::path(delete, path = "/api/v1/users/{id}/blocking/{target}", tag = "follows",
    params(("id" = String, Path, description = "your user id"),
        ("target" = String, Path, description = "the user to unblock")),
    responses(
        (status = 204, description = "you do not block them"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such user"),
    ))]
async fn unblock(
    State(social): State<Social>,
    AuthUser(me): AuthUser,
    Path((id, target)): Path<(String, String)>,
) -> Result<StatusCode> {
    social
        .unblock(&me.user, parse_id(&id)?, parse_id(&target)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How you (`id`) and `target` stand: whether you follow them, they follow
/// you, and you block them. Yours only.
#[utoipa::path(get, path = "/api/v1/users/{id}/relationships/{target}", tag = "follows",
    params(("id" = String, Path, description = "your user id"),
        ("target" = String, Path, description = "the other user")),
    responses(
        (status = 200, body = Relationship),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn relationship(
    State(social): State<Social>,
    AuthUser(me): AuthUser,
    Path((id, target)): Path<(String, String)>,
) -> Result<Json<Relationship>> {
    let relationship = social
        .relationship(&me.user, parse_id(&id)?, parse_id(&target)?)
        .await?;
    Ok(Json(relationship))
}

/// Your home timeline: your tweets and those of whom you follow, newest
/// first.
#[utoipa::path(get, path = "/api/v2/timelines/home", tag = "follows", params(PageQuery),
    responses(
        (status = 200, body = TweetList, description = "a page of tweets, newest first",
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn home(
    State(social): State<Social>,
    State(tweets): State<Tweets>,
    AuthUser(me): AuthUser,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<impl IntoResponse> {
    let page = query.page()?;
    let found = social.home(&me.user, page).await?;
    let link = next_link(
        "/api/v2/timelines/home",
        None,
        &page,
        found.len(),
        found.last().map(AuthoredTweet::cursor),
    );
    let mine = tweets.reactions_among(Some(me.user.id), &found).await?;
    let tweets_list = dto::tweets_seen(&found, &mine);
    Ok((
        link.map(|link| [(header::LINK, link)]),
        Json(TweetList { tweets_list }),
    ))
}

/// Follow the user `target`, as yourself (`id`). Following again is fine
/// and changes nothing.
#[utoipa::path(put, path = "/api/v1/users/{id}/following/{target}", tag = "follows",
    params(("id" = String, Path, description = "your user id"),
        ("target" = String, Path, description = "the user to follow")),
    responses(
        (status = 204, description = "you follow them"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such user"),
        (status = 422, body = ErrorBody, description = "you cannot follow yourself"),
    ))]
async fn follow(
    State(social): State<Social>,
    AuthUser(me): AuthUser,
    Path((id, target)): Path<(String, String)>,
) -> Result<StatusCode> {
    social
        .follow(&me.user, parse_id(&id)?, parse_id(&target)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop following `target`. Unfollowing someone you do not follow is fine.
#[utoipa::path(delete, path = "/api/v1/users/{id}/following/{target}", tag = "follows",
    params(("id" = String, Path, description = "your user id"),
        ("target" = String, Path, description = "the user to unfollow")),
    responses(
        (status = 204, description = "you do not follow them"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such user"),
    ))]
async fn unfollow(
    State(social): State<Social>,
    AuthUser(me): AuthUser,
    Path((id, target)): Path<(String, String)>,
) -> Result<StatusCode> {
    social
        .unfollow(&me.user, parse_id(&id)?, parse_id(&target)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whom the user follows, by user id, newest first.
#[utoipa::path(get, path = "/api/v1/users/{id}/following", tag = "follows",
    params(("id" = String, Path, description = "user id"), PageQuery),
    responses(
        (status = 200, body = UserList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn following(
    State(social): State<Social>,
    Path(id): Path<String>,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<impl IntoResponse> {
    let page = query.page()?;
    let users = social.following(parse_id(&id)?, page).await?;
    Ok(listed(
        &format!("/api/v1/users/{id}/following"),
        &page,
        &users,
    ))
}

/// Who follows the user, by user id, newest first.
#[utoipa::path(get, path = "/api/v1/users/{id}/followers", tag = "follows",
    params(("id" = String, Path, description = "user id"), PageQuery),
    responses(
        (status = 200, body = UserList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn followers(
    State(social): State<Social>,
    Path(id): Path<String>,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<impl IntoResponse> {
    let page = query.page()?;
    let users = social.followers(parse_id(&id)?, page).await?;
    Ok(listed(
        &format!("/api/v1/users/{id}/followers"),
        &page,
        &users,
    ))
}

fn listed(path: &str, page: &Page, users: &[User]) -> impl IntoResponse {
    let link = next_link(path, None, page, users.len(), users.last().map(|u| u.id));
    let user_list = users.iter().map(|u| dto::user(u, false)).collect();
    (
        link.map(|link| [(header::LINK, link)]),
        Json(UserList { user_list }),
    )
}
