//! Indexes, created at every start-up: `createIndexes` with an existing
//! identical index is a no-op, so this is idempotent.

use std::time::Duration;

use mongodb::{
    bson::{doc, Document},
    options::IndexOptions,
    Collection, IndexModel,
};

use super::{docs::UserDoc, errors::from_mongo, MongoStore};
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

/// The users read model's unique keys. Also used for the collection a
/// rebuild fills before it is swapped in.
pub async fn ensure_user_indexes(users: &Collection<UserDoc>) -> StoreResult<()> {
    users
        .create_indexes([
            index(doc! { "username_key": 1 }, "username_key", true),
            index(doc! { "email_key": 1 }, "email_key", true),
        ])
        .await
        .map(drop)
        .map_err(from_mongo)
}

pub async fn ensure(store: &MongoStore) -> StoreResult<()> {
    ensure_user_indexes(&store.users).await?;
    store
        .events
        .create_indexes([index(
            doc! { "stream_id": 1, "version": 1 },
            "stream_version",
            true,
        )])
        .await
        .map_err(from_mongo)?;
    store
        .tweets
        .create_indexes([index(
            doc! { "author_id": 1, "_id": -1 },
            "author_newest",
            false,
        )])
        .await
        .map_err(from_mongo)?;
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
        .sessions
        .create_indexes([index(doc! { "user_id": 1 }, "user", false), ttl])
        .await
        .map_err(from_mongo)?;
    // Transactions cannot create collections on older servers, so the
    // position counter (and with it its collection) exists before any append.
    store
        .counters
        .update_one(
            doc! { "_id": "events" },
            doc! { "$setOnInsert": { "position": 0_i64 } },
        )
        .upsert(true)
        .await
        .map_err(from_mongo)?;
    Ok(())
}
