//! The social graph: following and unfollowing, and who follows whom. A
//! follow is an event on the follower's stream, decided from their row
//! and what the follow graph says now, appended at the row's version (a
//! concurrent change of the follower's decides again).

use crate::{
    domain::{
        user::{self, Followed, Unfollowed},
        Id, Timestamp, User, UserCommand,
    },
    error::{Error, Result},
    store::{Append, AuthoredTweet, Conflict, FollowCounts, Page, Store, StoreError},
};

/// A decision made from a row that another write moved on is made again
/// this many times before giving up with 503.
const ATTEMPTS: usize = 3;

#[derive(Clone)]
pub struct Social {
    store: Store,
}

impl Social {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// `me` follows `target` (as the user `id`, which must be `me`).
    /// Following again changes nothing.
    pub async fn follow(&self, me: &User, id: Id, target: Id) -> Result<()> {
        self.change(me, id, target, true).await
    }

    /// Unfollowing someone you do not follow changes nothing.
    pub async fn unfollow(&self, me: &User, id: Id, target: Id) -> Result<()> {
        self.change(me, id, target, false).await
    }

    async fn change(&self, me: &User, id: Id, target: Id, follow: bool) -> Result<()> {
        if id != me.id {
            return Err(Error::Forbidden("you can only change whom you follow"));
        }
        if self.store.users.by_id(target).await?.is_none() {
            return Err(Error::NotFound);
        }
        for _ in 0..ATTEMPTS {
            let row = self
                .store
                .users
                .by_id(me.id)
                .await?
                .ok_or(Error::NotFound)?;
            let now = self.store.follows.follows(me.id, target).await?;
            let at = Timestamp::now();
            let command = match follow {
                true => UserCommand::Follow {
                    follow: Followed { user: target, at },
                    already: now,
                },
                false => UserCommand::Unfollow {
                    unfollow: Unfollowed { user: target, at },
                    following: now,
                },
            };
            let events = user::decide(Some(&row), command)?;
            match self
                .store
                .users
                .append(Append::new(row.id, row.version, events))
                .await
            {
                Ok(_) => return Ok(()),
                Err(StoreError::Conflict(Conflict::StaleVersion)) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(Error::Unavailable(
            "the account kept changing while it was being written".into(),
        ))
    }

    /// Whom `id` follows, by user id, newest first.
    pub async fn following(&self, id: Id, page: Page) -> Result<Vec<User>> {
        self.exists(id).await?;
        Ok(self.store.follows.following(id, page).await?)
    }

    /// Who follows `id`, by user id, newest first.
    pub async fn followers(&self, id: Id, page: Page) -> Result<Vec<User>> {
        self.exists(id).await?;
        Ok(self.store.follows.followers(id, page).await?)
    }

    /// `me`'s home timeline: their tweets and those of whom they follow.
    pub async fn home(&self, me: &User, page: Page) -> Result<Vec<AuthoredTweet>> {
        Ok(self.store.follows.home_timeline(me.id, page).await?)
    }

    pub async fn counts(&self, id: Id) -> Result<FollowCounts> {
        Ok(self.store.follows.follow_counts(id).await?)
    }

    async fn exists(&self, id: Id) -> Result<()> {
        match self.store.users.by_id(id).await? {
            Some(_) => Ok(()),
            None => Err(Error::NotFound),
        }
    }
}
