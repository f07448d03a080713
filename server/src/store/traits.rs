//! The storage ports. Services see only these, as `Arc<dyn …>`; SQLite and
//! MongoDB implement them, and one contract suite (`tests/it/store_contract.rs`)
//! holds both to the same behaviour.

use async_trait::async_trait;

use super::{
    Ancestor, ApiRelease, Append, AuthoredTweet, Backlog, ByAuthor, FollowCounts, Limit,
    Notification, Page, Pending, Reactions, RebuildReport, RecordedEvent, Session, StoreResult,
    TokenHash, TweetEvent,
};
use crate::domain::{Email, Id, Timestamp, Tweet, User, Username};
pub use app::api::Reaction;

/// The users: their event streams and the read model projected from them in
/// the same transaction, so the two never disagree.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Writes one decision ([`Append`]) atomically: appends its events if
    /// the stream is exactly at `expected`, projects them with
    /// [`crate::domain::user::apply`], ends the user's sessions that an
    /// older password opened (all of them once the user is deleted, with
    /// their tweets), and opens and closes the sessions asked for. Returns
    /// the user as projected (`None` once deleted). A stale `expected`, or
    /// a username or e-mail address another user holds, is a `Conflict` and
    /// writes nothing. An `Append` without events writes nothing.
    async fn append(&self, append: Append) -> StoreResult<Option<User>>;

    /// A user's whole stream, oldest first (empty if there is none).
    async fn history(&self, id: Id) -> StoreResult<Vec<RecordedEvent>>;

    async fn by_id(&self, id: Id) -> StoreResult<Option<User>>;
    /// Case-insensitive.
    async fn by_username(&self, username: &Username) -> StoreResult<Option<User>>;
    /// Case-insensitive.
    async fn by_email(&self, email: &Email) -> StoreResult<Option<User>>;
    /// Newest first.
    async fn list(&self, page: Page) -> StoreResult<Vec<User>>;
    /// The users whose username or display name starts with `prefix`
    /// (ASCII letters in any case), by username.
    async fn search(&self, prefix: &str, limit: Limit) -> StoreResult<Vec<User>>;

    /// Replays every event into a fresh read model and swaps it in. Run it
    /// with the server stopped: appends made meanwhile may be missed
    /// (MongoDB) or wait for it (SQLite).
    async fn rebuild(&self) -> StoreResult<RebuildReport>;
}

#[async_trait]
pub trait TweetStore: Send + Sync {
    /// `NotFound` if the author does not exist (or is being deleted);
    /// `Conflict::DuplicateId` if the id does.
    async fn insert(&self, tweet: &Tweet) -> StoreResult<()>;
    /// Many tweets at once, all or none, with the same checks (bulk loads:
    /// benchmarks, imports).
    async fn insert_many(&self, tweets: Vec<Tweet>) -> StoreResult<()>;
    async fn get(&self, id: Id) -> StoreResult<Option<AuthoredTweet>>;
    /// Deletes tweet `id` if `author_id` wrote it. Returns whether it did, so
    /// someone else's tweet and a missing one look the same (404).
    async fn delete(&self, id: Id, author_id: Id) -> StoreResult<bool>;
    /// Everyone's tweets, or one author's (with or without their replies),
    /// newest first, with their authors' usernames, leaving out the tweets
    /// of the authors in `hidden` (whom the reader blocks or is blocked by).
    async fn page(
        &self,
        author: Option<ByAuthor>,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>>;
    /// The tweets with hashtag `tag` (lowercase), newest first, without
    /// those of the authors in `hidden`.
    async fn tagged(&self, tag: &str, hidden: &[Id], page: Page)
        -> StoreResult<Vec<AuthoredTweet>>;
    /// The tweets `id` answers, the first of the conversation first, at
    /// most `limit` of them (the nearest). A deleted one is
    /// [`Ancestor::Deleted`] and the chain goes on above it. Empty for a
    /// tweet that answers nothing, or does not exist.
    async fn ancestors(&self, id: Id, limit: usize) -> StoreResult<Vec<Ancestor>>;
    /// The replies to `id`, oldest first (`since_id` turns the page), without
    /// those of the authors in `hidden`.
    async fn replies(&self, id: Id, hidden: &[Id], page: Page) -> StoreResult<Vec<AuthoredTweet>>;
    /// The tweets with every one of `words` (as [`app::api::text::words`]
    /// reads text), newest first, without those of the authors in
    /// `hidden`.
    async fn search(
        &self,
        words: &[String],
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// The session and its user, if the session exists, has not expired at
    /// `now`, and was opened under the user's current password.
    async fn resolve(
        &self,
        token: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<Option<(Session, User)>>;
    /// Records that the session was used at `at`.
    async fn touch(&self, token: &TokenHash, at: Timestamp) -> StoreResult<()>;
    async fn delete(&self, token: &TokenHash) -> StoreResult<()>;
    /// Removes sessions that expired before `now`. Returns how many.
    async fn delete_expired(&self, now: Timestamp) -> StoreResult<u64>;
}

/// The original service's `apirelease` records.
#[async_trait]
pub trait ReleaseStore: Send + Sync {
    /// Oldest first.
    async fn list(&self) -> StoreResult<Vec<ApiRelease>>;
    async fn insert(&self, release: &ApiRelease) -> StoreResult<()>;
}

#[async_trait]
pub trait Health: Send + Sync {
    /// Whether the store answers now (the readiness probe).
    async fn ping(&self) -> StoreResult<()>;
}

/// What was committed and is not yet published, oldest first per key: user
/// events (the event log itself is their outbox) and tweet events, each
/// recorded in the transaction that made the change. A relay reads them,
/// publishes them and marks them published; a crash in between publishes
/// them again (at least once).
/// The follow graph, projected from the followers' event streams.
#[async_trait]
pub trait FollowStore: Send + Sync {
    /// Whether `follower` follows `user`.
    async fn follows(&self, follower: Id, user: Id) -> StoreResult<bool>;
    /// Whether `blocker` blocks `user`.
    async fn blocks(&self, blocker: Id, user: Id) -> StoreResult<bool>;
    /// Everyone `user` blocks or is blocked by: whose tweets `user` does
    /// not see, and who does not see theirs.
    async fn hidden_from(&self, user: Id) -> StoreResult<Vec<Id>>;
    /// The users `follower` follows, by user id, newest first.
    async fn following(&self, follower: Id, page: Page) -> StoreResult<Vec<User>>;
    /// The users following `user`, by user id, newest first.
    async fn followers(&self, user: Id, page: Page) -> StoreResult<Vec<User>>;
    async fn follow_counts(&self, user: Id) -> StoreResult<FollowCounts>;
    /// `user`'s home timeline: their tweets and those of whom they follow,
    /// and what those reposted ([`AuthoredTweet::repost`]), newest first by
    /// [`AuthoredTweet::cursor`], without the tweets of `hidden` authors.
    /// A tweet may be there twice (as itself and reposted): each is an
    /// entry of its own.
    async fn home_timeline(
        &self,
        user: Id,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>>;
}

/// Who likes and who reposted which tweet. Each tweet's counts come with it
/// ([`AuthoredTweet::likes`], [`AuthoredTweet::reposts`]), kept in the same
/// transaction, as is the notification to its author.
#[async_trait]
pub trait ReactionStore: Send + Sync {
    /// `user`'s `reaction` to `tweet`, with its own time-ordered `id` (a
    /// repost's place in timelines); whether that is new. `NotFound` if
    /// the tweet or the user is not there.
    async fn react(&self, reaction: Reaction, user: Id, tweet: Id, id: Id) -> StoreResult<bool>;
    /// Whether `user` had that `reaction` to `tweet` until now.
    async fn unreact(&self, reaction: Reaction, user: Id, tweet: Id) -> StoreResult<bool>;
    /// Which of `tweets` `user` likes and which they reposted.
    async fn reactions_among(&self, user: Id, tweets: &[Id]) -> StoreResult<Reactions>;
    /// The tweets `user` likes, by tweet id, newest first.
    async fn liked_tweets(&self, user: Id, page: Page) -> StoreResult<Vec<AuthoredTweet>>;
}

/// What others did that concerns a user, written by the stores in the
/// transaction of what caused it (a follow, a like, a reply, a mention),
/// never for what users did themselves, each at most once, and gone with
/// the users and the tweet involved.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// `user`'s notifications, newest first, without those of the actors
    /// in `hidden`.
    async fn notifications(
        &self,
        user: Id,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<Notification>>;
    /// How many of them are unread.
    async fn unread(&self, user: Id, hidden: &[Id]) -> StoreResult<u64>;
    /// Marks `user`'s notifications read up to `up_to` (all: `None`);
    /// how many were unread.
    async fn mark_read(&self, user: Id, up_to: Option<Id>) -> StoreResult<u64>;
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Up to `limit` unpublished user events, each user's in version order.
    async fn pending_user_events(&self, limit: usize) -> StoreResult<Vec<Pending<RecordedEvent>>>;
    /// Up to `limit` unpublished tweet events, each tweet's in order.
    async fn pending_tweet_events(&self, limit: usize) -> StoreResult<Vec<Pending<TweetEvent>>>;
    /// These user events are published.
    async fn user_events_published(&self, marks: &[i64]) -> StoreResult<()>;
    /// These tweet events are published.
    async fn tweet_events_published(&self, marks: &[i64]) -> StoreResult<()>;
    async fn backlog(&self) -> StoreResult<Backlog>;
}
