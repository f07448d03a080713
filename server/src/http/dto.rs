//! From stored records to the API's wire types (`app::api`). The only place
//! a `UserRecord` becomes JSON, so the password hash cannot slip out.

use app::api::{TweetDto, UserDto};
use axum::http::HeaderValue;

use crate::{
    domain::{Id, Tweet, Version},
    error::Result,
    store::{Page, Store, UserRecord},
};

/// `email` only when `is_self`: addresses are private to their owner.
pub fn user(record: &UserRecord, is_self: bool) -> UserDto {
    UserDto {
        id: record.id.to_string(),
        username: record.username.as_str().to_string(),
        name: record.name.as_str().to_string(),
        created_at: record.created_at.to_rfc3339(),
        email: is_self.then(|| record.email.as_str().to_string()),
    }
}

pub fn tweet(tweet: &Tweet, author: &str) -> TweetDto {
    TweetDto {
        id: tweet.id.to_string(),
        body: tweet.body.as_str().to_string(),
        tweetedby: author.to_string(),
        timestamp: tweet.created_at.to_rfc3339(),
    }
}

/// Tweets with their authors' usernames, looked up in one query.
pub async fn tweets(store: &Store, tweets: &[Tweet]) -> Result<Vec<TweetDto>> {
    let mut ids: Vec<Id> = tweets.iter().map(|t| t.author_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let authors = store.users.by_ids(&ids).await?;
    Ok(tweets
        .iter()
        .filter_map(|t| {
            // A deleted author's tweets go with them; a row caught mid-delete
            // is skipped rather than shown without an author.
            let author = authors.iter().find(|a| a.id == t.author_id)?;
            Some(tweet(t, author.username.as_str()))
        })
        .collect())
}

/// A page of the timeline (everyone's, or `author`'s) with usernames: in
/// one store round trip where the adapter can, else the page then its
/// authors.
pub async fn timeline(store: &Store, author: Option<Id>, page: Page) -> Result<Vec<TweetDto>> {
    if let Some(rows) = store.tweets.list_with_usernames(author, page).await? {
        return Ok(rows
            .iter()
            .map(|(t, username)| tweet(t, username))
            .collect());
    }
    let page = match author {
        None => store.tweets.list(page).await?,
        Some(author) => store.tweets.by_author(author, page).await?,
    };
    tweets(store, &page).await
}

/// The user's aggregate version as a strong `ETag`.
pub fn etag(version: Version) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{}\"", version.get())).expect("digits and quotes")
}
