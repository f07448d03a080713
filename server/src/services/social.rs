//! The social graph: following and blocking, and who follows whom. A
//! follow or a block is an event on the stream of the user who makes it, decided from their row
//! and what the follow graph says now, appended at the row's version (a
//! concurrent change of the follower's decides again).

use app::api::Relationship;

use crate::{
    domain::{
        user::{self, Blocked, Followed, Unblocked, Unfollowed},
        Id, Timestamp, User, UserCommand,
    },
    error::{Error, Result},
    store::{Append, AuthoredTweet, Conflict, FollowCounts, Page, Store, StoreError},
};

/// A decision made from a row that another write moved on is made again
/// this many times before giving up with 503.
const ATTEMPTS: usize = 3;

#[derive(Clone, Copy)]
enum Change {
    Follow,
    Unfollow,
    Block,
    Unblock,
}

#[derive(Clone)]
pub struct Social {
    store: Store,
}

/// How many reads a home page takes at most to fill up after repeats.
const HOME_READS_MAX: usize = 3;

impl Social {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// `me` follows `target` (as the user `id`, which must be `me`).
    /// Following again changes nothing; following someone who blocks you
    /// is refused.
    pub async fn follow(&self, me: &User, id: Id, target: Id) -> Result<()> {
        self.change(me, id, target, Change::Follow).await
    }

    /// Unfollowing someone you do not follow changes nothing.
    pub async fn unfollow(&self, me: &User, id: Id, target: Id) -> Result<()> {
        self.change(me, id, target, Change::Unfollow).await
    }

    /// Blocks `target`: they can no longer follow you, and neither of you
    /// follows the other any more. Blocking again changes nothing.
    pub async fn block(&self, me: &User, id: Id, target: Id) -> Result<()> {
        self.change(me, id, target, Change::Block).await
    }

    pub async fn unblock(&self, me: &User, id: Id, target: Id) -> Result<()> {
        self.change(me, id, target, Change::Unblock).await
    }

    /// How `id` (who must be `me`: whom you block is yours to know) and
    /// `target` stand.
    pub async fn relationship(&self, me: &User, id: Id, target: Id) -> Result<Relationship> {
        if id != me.id {
            return Err(Error::Forbidden(
                "how a user stands with others is theirs to know",
            ));
        }
        self.exists(target).await?;
        let graph = &self.store.follows;
        Ok(Relationship {
            following: graph.follows(me.id, target).await?,
            followed_by: graph.follows(target, me.id).await?,
            blocking: graph.blocks(me.id, target).await?,
        })
    }

    async fn change(&self, me: &User, id: Id, target: Id, change: Change) -> Result<()> {
        if id != me.id {
            return Err(Error::Forbidden(
                "you can only change whom you follow and block",
            ));
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
            let graph = &self.store.follows;
            let at = Timestamp::now();
            let command = match change {
                Change::Follow => UserCommand::Follow {
                    follow: Followed { user: target, at },
                    already: graph.follows(me.id, target).await?,
                    blocked: graph.blocks(target, me.id).await?,
                },
                Change::Unfollow => UserCommand::Unfollow {
                    unfollow: Unfollowed { user: target, at },
                    following: graph.follows(me.id, target).await?,
                },
                Change::Block => UserCommand::Block {
                    block: Blocked { user: target, at },
                    already: graph.blocks(me.id, target).await?,
                },
                Change::Unblock => UserCommand::Unblock {
                    unblock: Unblocked { user: target, at },
                    blocking: graph.blocks(me.id, target).await?,
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

    /// `me`'s home timeline: their tweets and those of whom they follow,
    /// and what those reposted, without the tweets of whom `me` blocks or
    /// is blocked by. A tweet there twice (as itself and reposted, or by
    /// two people) shows once in a page, where it comes first; the page is
    /// filled up from further reads, a few at most.
    pub async fn home(&self, me: &User, page: Page) -> Result<Vec<AuthoredTweet>> {
        let graph = &self.store.follows;
        let hidden = graph.hidden_from(me.id).await?;
        let limit = usize::from(page.limit.get());
        let mut shown: Vec<AuthoredTweet> = Vec::with_capacity(limit);
        let mut next = page;
        for _ in 0..HOME_READS_MAX {
            let found = graph.home_timeline(me.id, &hidden, next).await?;
            let (full, last) = (
                found.len() == limit,
                found.last().map(AuthoredTweet::cursor),
            );
            for entry in found {
                if shown.len() < limit && !shown.iter().any(|s| s.tweet.id == entry.tweet.id) {
                    shown.push(entry);
                }
            }
            match last {
                Some(last) if full && shown.len() < limit => {
                    next = Page {
                        max_id: Some(last),
                        ..next
                    }
                }
                _ => break,
            }
        }
        Ok(shown)
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
