//! Indexes, created at every start-up: `createIndexes` with an existing
//! identical index is a no-op, so this is idempotent. Creating them also
//! creates the collections, which transactions on older servers cannot.

use std::time::Duration;

use mongodb::{
    bson::{doc, Document},
    options::IndexOptions,
    Collection, IndexModel,
};

use super::{
    docs::{BlockDoc, FollowDoc, UserDoc},
    MongoStore,
};
use crate::store::StoreResult;

fn index(keys: Document, name: &str, unique: bool) -> IndexModel {
    IndexModel::builder()
        .keys(keys)
        .options(
            IndexOptions::builder()
                .name(name.to_owned())
                .unique(unique.then_some(true))
                .build(),
        )
        .build()
}

/// The users read model's unique keys (their names are what a duplicate-key
/// error reports, see `errors.rs`). Also used for the collection a rebuild
/// fills before it is swapped in.
pub async fn ensure_user_indexes(
    store: &MongoStore,
    users: &Collection<UserDoc>,
) -> StoreResult<()> {
    store
        .within(users.create_indexes([
            index(doc! { "username_key": 1 }, "username_key", true),
            index(doc! { "email_key": 1 }, "email_key", true),
        ]))
        .await
        .map(drop)
}

/// A user's follows and followers, newest user first.
pub async fn ensure_follow_indexes(
    store: &MongoStore,
    follows: &Collection<FollowDoc>,
) -> StoreResult<()> {
    store
        .within(follows.create_indexes([
            index(
                doc! { "follower_id": 1, "followee_id": -1 },
                "following",
                false,
            ),
            index(
                doc! { "followee_id": 1, "follower_id": -1 },
                "followers",
                false,
            ),
        ]))
        .await
        .map(drop)
}

/// Whom a user blocks and who blocks them (`hidden_from`, on every
/// logged-in timeline read).
pub async fn ensure_block_indexes(
    store: &MongoStore,
    blocks: &Collection<BlockDoc>,
) -> StoreResult<()> {
    store
        .within(blocks.create_indexes([
            index(doc! { "blocker_id": 1 }, "blocking", false),
            index(doc! { "blocked_id": 1 }, "blocked_by", false),
        ]))
        .await
        .map(drop)
}

pub async fn ensure(store: &MongoStore) -> StoreResult<()> {
    ensure_user_indexes(store, &store.users).await?;
    store
        .within(store.events.create_indexes([index(
            doc! { "stream_id": 1, "version": 1 },
            "stream_version",
            true,
        )]))
        .await?;
    // The relay's queries: what is still in the outbox, in publishing order.
    store
        .within(store.events.create_indexes([index(
            doc! { "outbox": 1, "stream_id": 1, "version": 1 },
            "outbox",
            false,
        )]))
        .await?;
    store
        .within(store.tweet_events.create_indexes([index(
            doc! { "outbox": 1, "_id": 1 },
            "outbox",
            false,
        )]))
        .await?;
    ensure_follow_indexes(store, &store.follows).await?;
    ensure_block_indexes(store, &store.blocks).await?;
    // A user's likes newest tweet first; a tweet's, and an author's, to
    // remove them with it.
    store
        .within(store.likes.create_indexes([
            index(doc! { "user_id": 1, "tweet_id": -1 }, "liked", false),
            index(doc! { "tweet_id": 1 }, "of_tweet", false),
            index(doc! { "author_id": 1 }, "of_author", false),
        ]))
        .await?;
    // A user's reposts newest first (home timelines merge them); a
    // tweet's, and an author's, to remove them with it.
    store
        .within(store.reposts.create_indexes([
            index(doc! { "user_id": 1, "entry": -1 }, "reposted", false),
            index(doc! { "tweet_id": 1 }, "of_tweet", false),
            index(doc! { "author_id": 1 }, "of_author", false),
        ]))
        .await?;
    store
        .within(store.tweets.create_indexes([index(
            doc! { "author_id": 1, "_id": -1 },
            "author_newest",
            false,
        )]))
        .await?;
    // A tag's timeline (multikey: one entry per hashtag of a tweet).
    store
        .within(store.tweets.create_indexes([index(
            doc! { "tags": 1, "_id": -1 },
            "tag_newest",
            false,
        )]))
        .await?;
    // A user's notifications newest first, each once; an actor's and a
    // tweet's, to remove them with it.
    store
        .within(store.notifications.create_indexes([
            index(doc! { "user_id": 1, "_id": -1 }, "newest", false),
            index(
                doc! { "user_id": 1, "kind": 1, "actor_id": 1, "tweet_id": 1 },
                "once",
                true,
            ),
            index(doc! { "actor_id": 1 }, "of_actor", false),
            index(doc! { "tweet_id": 1 }, "of_tweet", false),
        ]))
        .await?;
    // Search: the tweets with a word (multikey: one entry per word).
    store
        .within(store.tweets.create_indexes([index(
            doc! { "words": 1, "_id": -1 },
            "word_newest",
            false,
        )]))
        .await?;
    // A tweet's replies, oldest first.
    store
        .within(store.tweets.create_indexes([index(
            doc! { "in_reply_to": 1, "_id": 1 },
            "replies",
            false,
        )]))
        .await?;
    let ttl = IndexModel::builder()
        .keys(doc! { "expires_at": 1 })
        .options(
            IndexOptions::builder()
                .name("expires_ttl".to_owned())
                .expire_after(Duration::ZERO)
                .build(),
        )
        .build();
    store
        .within(
            store
                .sessions
                .create_indexes([index(doc! { "user_id": 1 }, "user", false), ttl]),
        )
        .await?;
    Ok(())
}
