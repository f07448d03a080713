//! `/api/v2/tweets`: the timeline, one user's tweets, posting and deleting.

use app::api::{ErrorBody, NewTweet, Reaction, Thread, TweetDto, TweetList};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::IntoResponse,
    Json,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    dto,
    extract::{parse_id, AppJson, AppQuery, AuthUser, MaybeUser},
    pagination::{later_link, next_link, PageQuery},
};
use crate::{
    domain::{Id, Username},
    error::{Fields, Result},
    services::Tweets,
    store::{AuthoredTweet, Page},
    AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, remove))
        .routes(routes!(thread))
        .routes(routes!(like, unlike))
        .routes(routes!(repost, unrepost))
        .routes(routes!(liked_by))
        .routes(routes!(tagged))
}

/// The paging parameters plus `tweetedby`: serde cannot `flatten` a
/// [`PageQuery`] into a struct that denies unknown fields, so they are
/// spelled again here.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this user's tweets (a username).
    #[param(pattern = "^[A-Za-z0-9_]{3,30}$")]
    tweetedby: Option<String>,
    /// With `tweetedby`: without their replies (default `false`).
    exclude_replies: Option<bool>,
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

/// Everyone's tweets, or one user's with `tweetedby`, newest first. A
/// logged-in reader sees none of those they block or who block them.
#[utoipa::path(get, path = "/api/v2/tweets", tag = "tweets", params(ListQuery),
    responses(
        (status = 200, body = TweetList, description = "a page of tweets, newest first",
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 404, body = ErrorBody, description = "no user has that username"),
        (status = 422, body = ErrorBody),
    ))]
async fn list(
    State(tweets): State<Tweets>,
    MaybeUser(me): MaybeUser,
    AppQuery(query): AppQuery<ListQuery>,
) -> Result<impl IntoResponse> {
    let page = PageQuery {
        limit: query.limit,
        max_id: query.max_id,
        since_id: query.since_id,
    }
    .page()?;
    let (author,) = ((
        "tweetedby",
        query.tweetedby.as_deref().map(Username::parse).transpose(),
    ),)
        .parsed()?;
    let reader = me.map(|me| me.user.id);
    let replies = !query.exclude_replies.unwrap_or(false);
    let found = tweets
        .timeline(reader, author.as_ref().map(|a| (a, replies)), page)
        .await?;
    let link = next_link(
        "/api/v2/tweets",
        author.map(|a| {
            let without = if replies { "" } else { "&exclude_replies=true" };
            format!("tweetedby={a}{without}")
        }),
        &page,
        found.len(),
        found.last().map(|t| t.tweet.id),
    );
    let encode = |tweets_list| -> bytes::Bytes {
        serde_json::to_vec(&TweetList { tweets_list })
            .expect("a tweet list serializes")
            .into()
    };
    // What a reader likes is theirs: only a logged-out reader's page is
    // shared, encoded once.
    let body = match reader {
        Some(reader) => encode(dto::tweets_seen(
            &found,
            &tweets.reactions_among(Some(reader), &found).await?,
        )),
        None => found.encoded(|rows| encode(rows.iter().map(dto::tweet).collect())),
    };
    Ok((
        link.map(|link| [(header::LINK, link)]),
        [(header::CONTENT_TYPE, "application/json")],
        body,
    ))
}

/// Tweet as the logged-in user. `tweetedby`, if sent, must be that user.
#[utoipa::path(post, path = "/api/v2/tweets", tag = "tweets", request_body = NewTweet,
    responses(
        (status = 201, body = TweetDto, headers(("Location" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody,
            description = "`tweetedby` names someone else, or a block stands between you and the tweet you answer"),
        (status = 404, body = ErrorBody, description = "the tweet you answer does not exist"),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
async fn create(
    State(tweets): State<Tweets>,
    AuthUser(me): AuthUser,
    AppJson(input): AppJson<NewTweet>,
) -> Result<impl IntoResponse> {
    let posted = tweets.post(&me, &input).await?;
    let location =
        HeaderValue::from_str(&format!("/api/v2/tweets/{}", posted.tweet.id)).expect("digits");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(dto::tweet(&posted)),
    ))
}

#[utoipa::path(get, path = "/api/v2/tweets/{id}", tag = "tweets",
    params(("id" = String, Path, description = "tweet id")),
    responses((status = 200, body = TweetDto), (status = 404, body = ErrorBody)))]
async fn show(State(tweets): State<Tweets>, Path(id): Path<String>) -> Result<Json<TweetDto>> {
    Ok(Json(dto::tweet(&tweets.get(parse_id(&id)?).await?)))
}

/// A tweet in its conversation: the tweets above it (the first of the
/// conversation first; a deleted one, or one hidden from you, without its
/// tweet) and its replies, oldest first (`since_id` turns the page).
#[utoipa::path(get, path = "/api/v2/tweets/{id}/thread", tag = "tweets",
    params(("id" = String, Path, description = "tweet id"), PageQuery),
    responses(
        (status = 200, body = Thread,
            headers(("Link" = String, description = "`<…>; rel=\"next\"`: more replies"))),
        (status = 404, body = ErrorBody, description = "no such tweet (or you block each other)"),
        (status = 422, body = ErrorBody),
    ))]
async fn thread(
    State(tweets): State<Tweets>,
    MaybeUser(me): MaybeUser,
    Path(id): Path<String>,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<impl IntoResponse> {
    let page = query.page()?;
    let reader = me.map(|me| me.user.id);
    let id = parse_id(&id)?;
    let conversation = tweets.thread(reader, id, page).await?;
    let link = later_link(
        &format!("/api/v2/tweets/{id}/thread"),
        &page,
        conversation.replies.len(),
        conversation.replies.last().map(|t| t.tweet.id),
    );
    let mine = tweets.reactions_in(reader, &conversation).await?;
    Ok((
        link.map(|link| [(header::LINK, link)]),
        Json(dto::thread(&conversation, &mine)),
    ))
}

/// Like a tweet, as the logged-in user. Liking again is fine.
#[utoipa::path(put, path = "/api/v2/tweets/{id}/like", tag = "tweets",
    params(("id" = String, Path, description = "tweet id")),
    responses(
        (status = 204, description = "you like it"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such tweet (or you block each other)"),
    ))]
async fn like(
    State(tweets): State<Tweets>,
    AuthUser(me): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    tweets
        .react(&me, parse_id(&id)?, Reaction::Like, true)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop liking a tweet. Unliking one you do not like is fine.
#[utoipa::path(delete, path = "/api/v2/tweets/{id}/like", tag = "tweets",
    params(("id" = String, Path, description = "tweet id")),
    responses(
        (status = 204, description = "you do not like it"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ))]
async fn unlike(
    State(tweets): State<Tweets>,
    AuthUser(me): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    tweets
        .react(&me, parse_id(&id)?, Reaction::Like, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Repost a tweet, as the logged-in user: it shows in your followers' home
/// timelines as reposted by you. Reposting again is fine.
#[utoipa::path(put, path = "/api/v2/tweets/{id}/repost", tag = "tweets",
    params(("id" = String, Path, description = "tweet id")),
    responses(
        (status = 204, description = "you reposted it"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such tweet (or you block each other)"),
    ))]
async fn repost(
    State(tweets): State<Tweets>,
    AuthUser(me): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    tweets
        .react(&me, parse_id(&id)?, Reaction::Repost, true)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Undo your repost of a tweet. Undoing one you did not repost is fine.
#[utoipa::path(delete, path = "/api/v2/tweets/{id}/repost", tag = "tweets",
    params(("id" = String, Path, description = "tweet id")),
    responses(
        (status = 204, description = "you have not reposted it"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ))]
async fn unrepost(
    State(tweets): State<Tweets>,
    AuthUser(me): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    tweets
        .react(&me, parse_id(&id)?, Reaction::Repost, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The tweets a user likes, by tweet id, newest first.
#[utoipa::path(get, path = "/api/v1/users/{id}/likes", tag = "tweets",
    params(("id" = String, Path, description = "user id"), PageQuery),
    responses(
        (status = 200, body = TweetList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn liked_by(
    State(tweets): State<Tweets>,
    MaybeUser(me): MaybeUser,
    Path(id): Path<String>,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<impl IntoResponse> {
    let page = query.page()?;
    let found = tweets.liked_by(parse_id(&id)?, page).await?;
    let reader = me.map(|me| me.user.id);
    list_response(
        &tweets,
        reader,
        (&format!("/api/v1/users/{id}/likes"), None),
        &page,
        &found,
    )
    .await
}

/// The tweets with a hashtag (`rust` for `#Rust`), newest first.
#[utoipa::path(get, path = "/api/v2/tags/{tag}", tag = "tweets",
    params(("tag" = String, Path, description = "a hashtag, without `#`; any case"), PageQuery),
    responses(
        (status = 200, body = TweetList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there may be more"))),
        (status = 404, body = ErrorBody, description = "not a hashtag anyone could write"),
        (status = 422, body = ErrorBody),
    ))]
async fn tagged(
    State(tweets): State<Tweets>,
    MaybeUser(me): MaybeUser,
    Path(tag): Path<String>,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<impl IntoResponse> {
    let page = query.page()?;
    let reader = me.map(|me| me.user.id);
    let found = tweets.tagged(reader, &tag, page).await?;
    list_response(
        &tweets,
        reader,
        (&format!("/api/v2/tags/{tag}"), None),
        &page,
        &found,
    )
    .await
}

/// A page of `found` at `path` (with the query parameters `extra`,
/// encoded), with its `Link` and the reader's likes.
pub(super) async fn list_response(
    tweets: &Tweets,
    reader: Option<Id>,
    (path, extra): (&str, Option<String>),
    page: &Page,
    found: &[AuthoredTweet],
) -> Result<impl IntoResponse> {
    let link = next_link(
        path,
        extra,
        page,
        found.len(),
        found.last().map(AuthoredTweet::cursor),
    );
    let mine = tweets.reactions_among(reader, found).await?;
    Ok((
        link.map(|link| [(header::LINK, link)]),
        Json(TweetList {
            tweets_list: dto::tweets_seen(found, &mine),
        }),
    ))
}

/// Delete your tweet. Someone else's tweet is a 404, as if it did not exist.
#[utoipa::path(delete, path = "/api/v2/tweets/{id}", tag = "tweets",
    params(("id" = String, Path, description = "tweet id")),
    responses(
        (status = 204, description = "deleted"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ))]
async fn remove(
    State(tweets): State<Tweets>,
    AuthUser(me): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    tweets.delete(&me, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
