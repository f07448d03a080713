//! Read models, tweets, sessions and releases.

use async_trait::async_trait;
use futures::TryStreamExt;
use mongodb::bson::{doc, Document};

use super::{
    docs::{date, ReleaseDoc, SessionDoc, TweetDoc},
    errors::from_mongo,
    MongoStore,
};
use crate::{
    domain::{Id, Timestamp, Tweet, Username},
    store::{
        ApiRelease, Page, ReleaseStore, Session, SessionStore, StoreError, StoreResult, TokenHash,
        TweetStore, UserReadModel, UserRecord,
    },
};

/// `{_id: {$lt: max_id, $gt: since_id}}` for a newest-first page.
fn id_range(page: &Page) -> Document {
    let mut range = Document::new();
    if let Some(max) = page.max_id {
        range.insert("$lt", max.as_i64());
    }
    if let Some(since) = page.since_id {
        range.insert("$gt", since.as_i64());
    }
    range
}

fn page_filter(mut filter: Document, page: &Page) -> Document {
    let range = id_range(page);
    if !range.is_empty() {
        filter.insert("_id", range);
    }
    filter
}

#[async_trait]
impl UserReadModel for MongoStore {
    async fn by_id(&self, id: Id) -> StoreResult<Option<UserRecord>> {
        self.users
            .find_one(doc! { "_id": id.as_i64() })
            .await
            .map(|d| d.map(UserRecord::from))
            .map_err(from_mongo)
    }

    async fn by_username(&self, username: &Username) -> StoreResult<Option<UserRecord>> {
        self.users
            .find_one(doc! { "username_key": username.key() })
            .await
            .map(|d| d.map(UserRecord::from))
            .map_err(from_mongo)
    }

    async fn by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        // A string value, never a document: `{"$gt": ""}` cannot get here.
        self.users
            .find_one(doc! { "email_key": email.trim().to_lowercase() })
            .await
            .map(|d| d.map(UserRecord::from))
            .map_err(from_mongo)
    }

    async fn by_ids(&self, ids: &[Id]) -> StoreResult<Vec<UserRecord>> {
        let ids: Vec<i64> = ids.iter().map(|id| id.as_i64()).collect();
        self.users
            .find(doc! { "_id": { "$in": ids } })
            .await
            .map_err(from_mongo)?
            .map_ok(UserRecord::from)
            .try_collect()
            .await
            .map_err(from_mongo)
    }

    async fn list(&self, page: Page) -> StoreResult<Vec<UserRecord>> {
        self.users
            .find(page_filter(Document::new(), &page))
            .sort(doc! { "_id": -1 })
            .limit(i64::from(page.limit.get()))
            .await
            .map_err(from_mongo)?
            .map_ok(UserRecord::from)
            .try_collect()
            .await
            .map_err(from_mongo)
    }

    async fn count(&self) -> StoreResult<u64> {
        self.users
            .count_documents(doc! {})
            .await
            .map_err(from_mongo)
    }
}

#[async_trait]
impl TweetStore for MongoStore {
    async fn insert(&self, tweet: &Tweet) -> StoreResult<()> {
        // SQLite's foreign key, by hand. A user deleted between this check
        // and the insert could leave one orphan tweet; readers look authors
        // up and skip tweets whose author is gone.
        if self.by_id(tweet.author_id).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        self.tweets
            .insert_one(TweetDoc::from(tweet))
            .await
            .map(drop)
            .map_err(from_mongo)
    }

    async fn get(&self, id: Id) -> StoreResult<Option<Tweet>> {
        self.tweets
            .find_one(doc! { "_id": id.as_i64() })
            .await
            .map(|d| d.map(Tweet::from))
            .map_err(from_mongo)
    }

    async fn delete(&self, id: Id, author_id: Id) -> StoreResult<bool> {
        self.tweets
            .delete_one(doc! { "_id": id.as_i64(), "author_id": author_id.as_i64() })
            .await
            .map(|r| r.deleted_count > 0)
            .map_err(from_mongo)
    }

    async fn list(&self, page: Page) -> StoreResult<Vec<Tweet>> {
        self.tweets
            .find(page_filter(Document::new(), &page))
            .sort(doc! { "_id": -1 })
            .limit(i64::from(page.limit.get()))
            .await
            .map_err(from_mongo)?
            .map_ok(Tweet::from)
            .try_collect()
            .await
            .map_err(from_mongo)
    }

    async fn by_author(&self, author_id: Id, page: Page) -> StoreResult<Vec<Tweet>> {
        self.tweets
            .find(page_filter(doc! { "author_id": author_id.as_i64() }, &page))
            .sort(doc! { "_id": -1 })
            .limit(i64::from(page.limit.get()))
            .await
            .map_err(from_mongo)?
            .map_ok(Tweet::from)
            .try_collect()
            .await
            .map_err(from_mongo)
    }
}

#[async_trait]
impl SessionStore for MongoStore {
    async fn create(&self, session: &Session) -> StoreResult<()> {
        self.sessions
            .insert_one(SessionDoc::from(session))
            .await
            .map(drop)
            .map_err(from_mongo)
    }

    async fn get(&self, token_hash: &TokenHash, now: Timestamp) -> StoreResult<Option<Session>> {
        // The TTL monitor runs about once a minute, so expiry is checked
        // here too.
        self.sessions
            .find_one(doc! { "_id": token_hash.to_hex(), "expires_at": { "$gt": date(now) } })
            .await
            .map_err(from_mongo)?
            .map(Session::try_from)
            .transpose()
    }

    async fn delete(&self, token_hash: &TokenHash) -> StoreResult<()> {
        self.sessions
            .delete_one(doc! { "_id": token_hash.to_hex() })
            .await
            .map(drop)
            .map_err(from_mongo)
    }

    async fn delete_for_user(&self, user_id: Id, keep: Option<&TokenHash>) -> StoreResult<u64> {
        let mut filter = doc! { "user_id": user_id.as_i64() };
        if let Some(keep) = keep {
            filter.insert("_id", doc! { "$ne": keep.to_hex() });
        }
        self.sessions
            .delete_many(filter)
            .await
            .map(|r| r.deleted_count)
            .map_err(from_mongo)
    }

    async fn delete_expired(&self, now: Timestamp) -> StoreResult<u64> {
        self.sessions
            .delete_many(doc! { "expires_at": { "$lte": date(now) } })
            .await
            .map(|r| r.deleted_count)
            .map_err(from_mongo)
    }
}

#[async_trait]
impl ReleaseStore for MongoStore {
    async fn list(&self) -> StoreResult<Vec<ApiRelease>> {
        self.releases
            .find(doc! {})
            .sort(doc! { "_id": 1 })
            .await
            .map_err(from_mongo)?
            .map_ok(ApiRelease::from)
            .try_collect()
            .await
            .map_err(from_mongo)
    }

    async fn insert(&self, release: &ApiRelease) -> StoreResult<()> {
        self.releases
            .insert_one(ReleaseDoc {
                id: Id::generate().as_i64(),
                buildtime: release.buildtime.clone(),
                version: release.version.clone(),
                methods: release.methods.clone(),
                links: release.links.clone(),
            })
            .await
            .map(drop)
            .map_err(from_mongo)
    }
}
