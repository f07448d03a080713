//! Server-side sessions, keyed by the SHA-256 of their token. Opened by a
//! user append (`users.rs`), read here together with their user.

use async_trait::async_trait;
use mongodb::bson::doc;

use super::{docs::date, MongoStore};
use crate::{
    domain::{Timestamp, User},
    store::{Session, SessionStore, StoreResult, TokenHash, UserStore},
};

#[async_trait]
impl SessionStore for MongoStore {
    async fn resolve(
        &self,
        token: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<Option<(Session, User)>> {
        // The TTL monitor runs about once a minute, so expiry is checked
        // here too.
        let found = self
            .within(
                self.sessions
                    .find_one(doc! { "_id": token.to_hex(), "expires_at": { "$gt": date(now) } })
                    .max_time(self.timeout),
            )
            .await?;
        let Some(session) = found.map(Session::try_from).transpose()? else {
            return Ok(None);
        };
        let user = self.by_id(session.user_id).await?;
        Ok(user
            .filter(|user| user.credentials == session.credentials)
            .map(|user| (session, user)))
    }

    async fn touch(&self, token: &TokenHash, at: Timestamp) -> StoreResult<()> {
        self.within(self.sessions.update_one(
            doc! { "_id": token.to_hex() },
            doc! { "$set": { "last_seen": date(at) } },
        ))
        .await
        .map(drop)
    }

    async fn delete(&self, token: &TokenHash) -> StoreResult<()> {
        self.within(self.sessions.delete_one(doc! { "_id": token.to_hex() }))
            .await
            .map(drop)
    }

    async fn delete_expired(&self, now: Timestamp) -> StoreResult<u64> {
        let deleted = self
            .within(
                self.sessions
                    .delete_many(doc! { "expires_at": { "$lte": date(now) } }),
            )
            .await?;
        Ok(deleted.deleted_count)
    }
}
