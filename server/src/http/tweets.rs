//! `/api/v2/tweets`: the timeline, one user's tweets, posting and deleting.

use app::api::{ErrorBody, NewTweet, TweetDto, TweetList};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::IntoResponse,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::AuthUser,
    domain::{Id, Timestamp, Tweet, TweetBody, Username},
    error::{Error, Result, Validator},
    http::{
        dto,
        extract::{parse_id, Json, Query},
        pagination::{self, RawPage},
    },
    store::Store,
    AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, remove))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this user's tweets (a username).
    #[param(pattern = "^[A-Za-z0-9_]{3,30}$")]
    tweetedby: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
    /// Only tweets older than this id.
    #[param(pattern = "^[1-9][0-9]{0,18}$")]
    max_id: Option<String>,
    /// Only tweets newer than this id.
    #[param(pattern = "^[1-9][0-9]{0,18}$")]
    since_id: Option<String>,
}

/// Everyone's tweets, or one user's with `tweetedby`, newest first.
#[utoipa::path(get, path = "/api/v2/tweets", tag = "tweets", params(ListQuery),
    responses(
        (status = 200, body = TweetList, description = "a page of tweets, newest first",
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 404, body = ErrorBody, description = "no user has that username"),
        (status = 422, body = ErrorBody),
    ))]
async fn list(
    State(store): State<Store>,
    Query(query): Query<ListQuery>,
) -> Result<impl IntoResponse> {
    let mut v = Validator::new();
    let page = pagination::page(
        &RawPage {
            limit: query.limit,
            max_id: query.max_id,
            since_id: query.since_id,
        },
        &mut v,
    );
    let author = query
        .tweetedby
        .as_deref()
        .and_then(|name| v.check("tweetedby", Username::parse(name)));
    v.finish()?;
    let author_id = match &author {
        None => None,
        Some(username) => Some(
            store
                .users
                .by_username(username)
                .await?
                .ok_or(Error::NotFound)?
                .id,
        ),
    };
    let tweets_list = dto::timeline(&store, author_id, page).await?;
    let link = pagination::next_link(
        "/api/v2/tweets",
        author.map(|a| format!("tweetedby={}", a.as_str())),
        &page,
        tweets_list.len(),
        tweets_list.last().and_then(|t| t.id.parse().ok()),
    );
    Ok((
        link.map(|link| [(header::LINK, link)]),
        Json(TweetList { tweets_list }),
    ))
}

/// Tweet as the logged-in user. `tweetedby`, if sent, must be that user.
#[utoipa::path(post, path = "/api/v2/tweets", tag = "tweets", request_body = NewTweet,
    responses(
        (status = 201, body = TweetDto, headers(("Location" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "`tweetedby` names someone else"),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn create(
    State(store): State<Store>,
    me: AuthUser,
    Json(input): Json<NewTweet>,
) -> Result<impl IntoResponse> {
    let mut v = Validator::new();
    let body = v.check("body", TweetBody::parse(&input.body));
    v.finish()?;
    let author = store.users.by_id(me.id).await?.ok_or(Error::Unauthorized)?;
    if let Some(claimed) = &input.tweetedby {
        if claimed.trim().to_lowercase() != author.username.key() {
            return Err(Error::Forbidden("you can only tweet as yourself"));
        }
    }
    let tweet = Tweet {
        id: Id::generate(),
        author_id: me.id,
        body: body.expect("validated"),
        created_at: Timestamp::now(),
    };
    store.tweets.insert(&tweet).await?;
    let location = HeaderValue::from_str(&format!("/api/v2/tweets/{}", tweet.id)).expect("digits");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(dto::tweet(&tweet, author.username.as_str())),
    ))
}

#[utoipa::path(get, path = "/api/v2/tweets/{id}", tag = "tweets",
    params(("id" = String, Path, description = "tweet id")),
    responses((status = 200, body = TweetDto), (status = 404, body = ErrorBody)))]
async fn show(State(store): State<Store>, Path(id): Path<String>) -> Result<Json<TweetDto>> {
    let tweet = store
        .tweets
        .get(parse_id(&id)?)
        .await?
        .ok_or(Error::NotFound)?;
    dto::tweets(&store, std::slice::from_ref(&tweet))
        .await?
        .pop()
        .map(Json)
        .ok_or(Error::NotFound)
}

/// Delete your tweet. Someone else's tweet is a 404, as if it did not exist.
#[utoipa::path(delete, path = "/api/v2/tweets/{id}", tag = "tweets",
    params(("id" = String, Path, description = "tweet id")),
    responses(
        (status = 204, description = "deleted"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn remove(
    State(store): State<Store>,
    me: AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    if store.tweets.delete(parse_id(&id)?, me.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound)
    }
}
