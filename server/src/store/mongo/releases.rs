//! The original service's `apirelease` records.

use async_trait::async_trait;
use futures::TryStreamExt;
use mongodb::bson::doc;

use super::{docs::ReleaseDoc, MongoStore};
use crate::{
    domain::Id,
    store::{ApiRelease, ReleaseStore, StoreResult},
};

#[async_trait]
impl ReleaseStore for MongoStore {
    async fn list(&self) -> StoreResult<Vec<ApiRelease>> {
        let docs: Vec<ReleaseDoc> = self
            .within(async {
                self.releases
                    .find(doc! {})
                    .sort(doc! { "_id": 1 })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        Ok(docs.into_iter().map(ApiRelease::from).collect())
    }

    async fn insert(&self, release: &ApiRelease) -> StoreResult<()> {
        let doc = ReleaseDoc {
            id: Id::generate().as_i64(),
            buildtime: release.buildtime.clone(),
            version: release.version.clone(),
            methods: release.methods.clone(),
            links: release.links.clone(),
        };
        self.within(self.releases.insert_one(doc)).await.map(drop)
    }
}
