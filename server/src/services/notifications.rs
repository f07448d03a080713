//! Notifications: what others did to you (followed you, liked, answered or
//! mentioned your tweets), newest first, never from those you block or who
//! block you; the unread count and marking them read.

use crate::{
    domain::Id,
    error::Result,
    services::SignedIn,
    store::{Notification, Page, Store},
};

#[derive(Clone)]
pub struct Notifications {
    store: Store,
}

impl Notifications {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Yours, newest first.
    pub async fn list(&self, me: &SignedIn, page: Page) -> Result<Vec<Notification>> {
        let hidden = self.store.follows.hidden_from(me.user.id).await?;
        Ok(self
            .store
            .notifications
            .notifications(me.user.id, &hidden, page)
            .await?)
    }

    /// How many of yours you have not read.
    pub async fn unread(&self, me: &SignedIn) -> Result<u64> {
        let hidden = self.store.follows.hidden_from(me.user.id).await?;
        Ok(self.store.notifications.unread(me.user.id, &hidden).await?)
    }

    /// Marks yours read, up to `up_to` (the newest one you saw) or all.
    pub async fn mark_read(&self, me: &SignedIn, up_to: Option<Id>) -> Result<()> {
        self.store
            .notifications
            .mark_read(me.user.id, up_to)
            .await?;
        Ok(())
    }
}
