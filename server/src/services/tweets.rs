//! Tweets: posting, deleting, reading one, and the timelines.

use std::{
    ops::Deref,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, OnceLock,
    },
    time::{Duration, Instant},
};

use app::api::NewTweet;

use super::{limits::Limits, sessions::SignedIn};
use crate::{
    domain::{Id, Tweet, TweetBody, Username},
    error::{Error, Fields, Result},
    store::{Ancestor, AuthoredTweet, ByAuthor, Page, Reaction, Reactions, Store, StoreError},
};

#[derive(Clone)]
pub struct Tweets {
    store: Store,
    newest: NewestTweets,
    limits: Arc<Limits>,
}

impl Tweets {
    pub fn new(store: Store, newest: NewestTweets, limits: Arc<Limits>) -> Self {
        Self {
            store,
            newest,
            limits,
        }
    }

    /// Tweets as the logged-in user. `tweetedby`, which the original
    /// clients send, must then name that same user.
    /// A reply (`in_reply_to`) must answer a tweet that is there for `me`,
    /// by someone who does not block them and whom they do not block.
    pub async fn post(&self, me: &SignedIn, input: &NewTweet) -> Result<AuthoredTweet> {
        let parent = input
            .in_reply_to
            .as_deref()
            .map(|id| id.parse::<Id>().map_err(|_| app::api::FieldCode::Invalid));
        let (body, parent) = (
            ("body", TweetBody::parse(&input.body)),
            ("in_reply_to", parent.transpose()),
        )
            .parsed()?;
        // After parsing: a refused draft costs no post.
        self.limits.posts.check(me.user.id)?;
        if let Some(claimed) = &input.tweetedby {
            let yourself = Username::parse(claimed.trim())
                .is_ok_and(|name| name.key() == me.user.username.key());
            if !yourself {
                return Err(Error::Forbidden("you can only tweet as yourself"));
            }
        }
        let mut tweet = Tweet::new(me.user.id, body);
        tweet.mentions = self.mentioned(&tweet).await?;
        if let Some(parent) = parent {
            self.may_reply(me, parent).await?;
            tweet = tweet.replying_to(parent);
        }
        match self.store.tweets.insert(&tweet).await {
            // The author was deleted after the session was read.
            Err(StoreError::NotFound) => return Err(Error::Unauthorized),
            result => result?,
        }
        self.newest.invalidate();
        Ok(AuthoredTweet {
            tweet,
            author: me.user.username.clone(),
            likes: 0,
            replies: 0,
            reposts: 0,
            repost: None,
        })
    }

    /// The users `tweet` mentions who are there, by their usernames.
    async fn mentioned(&self, tweet: &Tweet) -> Result<Vec<Username>> {
        let mut found = Vec::new();
        for name in app::api::text::mentions(tweet.body.as_str()) {
            let Ok(name) = Username::parse(&name) else {
                continue;
            };
            if let Some(user) = self.store.users.by_username(&name).await? {
                found.push(user.username);
            }
        }
        Ok(found)
    }

    async fn may_reply(&self, me: &SignedIn, parent: Id) -> Result<()> {
        let author = self.get(parent).await?.tweet.author_id;
        let graph = &self.store.follows;
        if graph.blocks(author, me.user.id).await? {
            return Err(Error::Forbidden(
                "you can't reply to someone who blocks you",
            ));
        }
        if graph.blocks(me.user.id, author).await? {
            return Err(Error::Forbidden("you can't reply to someone you block"));
        }
        Ok(())
    }

    /// Whose tweets `reader` does not see: those they block or who block
    /// them (nobody for a logged-out reader).
    async fn hidden_for(&self, reader: Option<Id>) -> Result<Vec<Id>> {
        Ok(match reader {
            Some(reader) => self.store.follows.hidden_from(reader).await?,
            None => Vec::new(),
        })
    }

    /// Tweet `id` in its conversation, as `reader` may see it: the tweets
    /// above it (at most [`ANCESTORS_MAX`]), and a page of its replies,
    /// oldest first. A tweet hidden from the reader is a 404, as for a like.
    pub async fn thread(&self, reader: Option<Id>, id: Id, page: Page) -> Result<Conversation> {
        let hidden = self.hidden_for(reader).await?;
        let tweet = self.get(id).await?;
        if hidden.contains(&tweet.tweet.author_id) {
            return Err(Error::NotFound);
        }
        let tweets = &self.store.tweets;
        let ancestors = tweets
            .ancestors(id, ANCESTORS_MAX)
            .await?
            .into_iter()
            .map(|above| match above {
                Ancestor::Tweet(t) if hidden.contains(&t.tweet.author_id) => {
                    Above::Hidden(t.tweet.id)
                }
                Ancestor::Tweet(t) => Above::Tweet(t),
                Ancestor::Deleted(id) => Above::Deleted(id),
            })
            .collect();
        let replies = tweets.replies(id, &hidden, page).await?;
        Ok(Conversation {
            ancestors,
            tweet,
            replies,
        })
    }

    pub async fn get(&self, id: Id) -> Result<AuthoredTweet> {
        self.store.tweets.get(id).await?.ok_or(Error::NotFound)
    }

    /// Deletes your tweet. Someone else's tweet is a 404, as if it did not
    /// exist.
    pub async fn delete(&self, me: &SignedIn, id: Id) -> Result<()> {
        if !self.store.tweets.delete(id, me.user.id).await? {
            return Err(Error::NotFound);
        }
        self.newest.invalidate();
        Ok(())
    }

    /// `me` likes or reposts tweet `id` (`on`), or undoes it. Doing it
    /// again changes nothing. A tweet whose author `me` blocks or is
    /// blocked by is not there for them (404).
    pub async fn react(&self, me: &SignedIn, id: Id, reaction: Reaction, on: bool) -> Result<()> {
        let tweet = self.get(id).await?;
        if self
            .hidden_for(Some(me.user.id))
            .await?
            .contains(&tweet.tweet.author_id)
        {
            return Err(Error::NotFound);
        }
        let reactions = &self.store.reactions;
        let changed = if on {
            match reactions
                .react(reaction, me.user.id, id, Id::generate())
                .await
            {
                // The tweet or the user went meanwhile.
                Err(StoreError::NotFound) => return Err(Error::NotFound),
                result => result?,
            }
        } else {
            reactions.unreact(reaction, me.user.id, id).await?
        };
        if changed {
            self.newest.invalidate();
        }
        Ok(())
    }

    /// Which tweets of `conversation` `reader` likes and reposted (none
    /// for nobody).
    pub async fn reactions_in(
        &self,
        reader: Option<Id>,
        conversation: &Conversation,
    ) -> Result<Reactions> {
        let Some(reader) = reader else {
            return Ok(Reactions::default());
        };
        let ids: Vec<Id> = conversation.tweets().map(|t| t.tweet.id).collect();
        Ok(self.store.reactions.reactions_among(reader, &ids).await?)
    }

    /// Which of `tweets` `reader` likes and reposted (none for nobody).
    pub async fn reactions_among(
        &self,
        reader: Option<Id>,
        tweets: &[AuthoredTweet],
    ) -> Result<Reactions> {
        let Some(reader) = reader else {
            return Ok(Reactions::default());
        };
        let ids: Vec<Id> = tweets.iter().map(|t| t.tweet.id).collect();
        Ok(self.store.reactions.reactions_among(reader, &ids).await?)
    }

    /// The tweets `user` likes, newest tweet first (404 for nobody).
    pub async fn liked_by(&self, user: Id, page: Page) -> Result<Vec<AuthoredTweet>> {
        if self.store.users.by_id(user).await?.is_none() {
            return Err(Error::NotFound);
        }
        Ok(self.store.reactions.liked_tweets(user, page).await?)
    }

    /// The tweets with hashtag `tag`, newest first, as `reader` may see
    /// them. A tag nobody could write is nobody's (404).
    pub async fn tagged(
        &self,
        reader: Option<Id>,
        tag: &str,
        page: Page,
    ) -> Result<Vec<AuthoredTweet>> {
        let tag = app::api::text::tag_key(tag).ok_or(Error::NotFound)?;
        let hidden = self.hidden_for(reader).await?;
        Ok(self.store.tweets.tagged(&tag, &hidden, page).await?)
    }

    /// The tweets a search finds, newest first, as `reader` may see them:
    /// a hashtag alone (`#rust`) finds that hashtag's tweets, words the
    /// tweets with every one of them (the first
    /// [`app::api::text::SEARCH_WORDS_MAX`]).
    pub async fn search(
        &self,
        reader: Option<Id>,
        query: &str,
        page: Page,
    ) -> Result<Vec<AuthoredTweet>> {
        let query = query.trim();
        if query.starts_with('#') && app::api::text::tag_key(query).is_some() {
            return self.tagged(reader, query, page).await;
        }
        let mut words = app::api::text::words(query);
        words.truncate(app::api::text::SEARCH_WORDS_MAX);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let hidden = self.hidden_for(reader).await?;
        Ok(self.store.tweets.search(&words, &hidden, page).await?)
    }

    /// Everyone's tweets, or `author`'s (404 if nobody has that name),
    /// with their replies or without, newest first, as `reader` may see
    /// them: without the tweets of those they block or who block them.
    pub async fn timeline(
        &self,
        reader: Option<Id>,
        author: Option<(&Username, bool)>,
        page: Page,
    ) -> Result<Arc<TweetPage>> {
        let author = match author {
            None => None,
            Some((name, replies)) => Some(ByAuthor {
                id: self
                    .store
                    .users
                    .by_username(name)
                    .await?
                    .ok_or(Error::NotFound)?
                    .id,
                replies,
            }),
        };
        let hidden = self.hidden_for(reader).await?;
        // The shared newest page is everyone's only while nobody is hidden.
        let newest = author.is_none() && hidden.is_empty() && page.is_newest();
        let generation = self.newest.generation();
        if newest {
            if let Some(rows) = self.newest.get(generation, page) {
                return Ok(rows);
            }
        }
        let rows = self.store.tweets.page(author, &hidden, page).await?;
        let rows = Arc::new(TweetPage::new(rows));
        if newest {
            self.newest.put(generation, page, rows.clone());
        }
        Ok(rows)
    }
}

/// How many tweets a thread shows above its tweet: the nearest.
pub const ANCESTORS_MAX: usize = 50;

/// A tweet in its conversation ([`Tweets::thread`]).
pub struct Conversation {
    /// The first of the conversation first.
    pub ancestors: Vec<Above>,
    pub tweet: AuthoredTweet,
    /// Oldest first.
    pub replies: Vec<AuthoredTweet>,
}

impl Conversation {
    /// Every tweet of it the reader sees, in the order shown.
    pub fn tweets(&self) -> impl Iterator<Item = &AuthoredTweet> {
        self.ancestors
            .iter()
            .filter_map(|above| match above {
                Above::Tweet(t) => Some(t),
                _ => None,
            })
            .chain(std::iter::once(&self.tweet))
            .chain(&self.replies)
    }
}

/// A tweet above another in its thread, as its reader sees it.
pub enum Above {
    Tweet(AuthoredTweet),
    Deleted(Id),
    /// By someone the reader blocks or is blocked by.
    Hidden(Id),
}

/// A page of tweets as the store answered it. The newest page is shared by
/// every reader for up to [`NEWEST_FOR`], so it has room for one encoding of
/// itself: the JSON timeline encodes it once, not once per request (measured
/// in BENCHMARKS.md, "JSON timeline").
pub struct TweetPage {
    rows: Vec<AuthoredTweet>,
    encoded: OnceLock<bytes::Bytes>,
}

impl TweetPage {
    fn new(rows: Vec<AuthoredTweet>) -> Self {
        Self {
            rows,
            encoded: OnceLock::new(),
        }
    }

    /// This page encoded by `encode`, which runs at most once per page: a
    /// page has one encoding.
    pub fn encoded(&self, encode: impl FnOnce(&[AuthoredTweet]) -> bytes::Bytes) -> bytes::Bytes {
        self.encoded.get_or_init(|| encode(&self.rows)).clone()
    }
}

impl Deref for TweetPage {
    type Target = [AuthoredTweet];

    fn deref(&self) -> &[AuthoredTweet] {
        &self.rows
    }
}

/// The newest page of everyone's tweets, the most read page there is,
/// kept between requests. It is dropped by every write of this process
/// that can change it (a post, a deletion, an account deletion) before
/// the writer is answered, so whoever was told "done" reads a fresh page,
/// and it is at most [`NEWEST_FOR`] old, which bounds what writes of
/// other processes sharing the store can leave unseen.
#[derive(Clone, Default)]
pub struct NewestTweets(Arc<Newest>);

#[derive(Default)]
struct Newest {
    /// Grows at every invalidation. A page read after seeing generation
    /// `g` is kept only while the generation is still `g`.
    generation: AtomicU64,
    page: Mutex<Option<Cached>>,
}

struct Cached {
    generation: u64,
    read_at: Instant,
    page: Page,
    rows: Arc<TweetPage>,
}

/// How long the newest page is kept at most.
pub const NEWEST_FOR: Duration = Duration::from_secs(1);

impl NewestTweets {
    pub fn invalidate(&self) {
        self.0.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn generation(&self) -> u64 {
        self.0.generation.load(Ordering::Acquire)
    }

    fn get(&self, generation: u64, page: Page) -> Option<Arc<TweetPage>> {
        let cached = self.0.page.lock().unwrap_or_else(|p| p.into_inner());
        cached
            .as_ref()
            .filter(|c| {
                c.generation == generation && c.page == page && c.read_at.elapsed() < NEWEST_FOR
            })
            .map(|c| c.rows.clone())
    }

    fn put(&self, generation: u64, page: Page, rows: Arc<TweetPage>) {
        *self.0.page.lock().unwrap_or_else(|p| p.into_inner()) = Some(Cached {
            generation,
            read_at: Instant::now(),
            page,
            rows,
        });
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::TweetPage;

    #[test]
    fn a_page_is_encoded_once_however_often_it_is_read() {
        let page = TweetPage::new(Vec::new());
        let runs = Cell::new(0);
        let encode = |_: &[_]| {
            runs.set(runs.get() + 1);
            bytes::Bytes::from_static(b"[]")
        };
        assert_eq!(page.encoded(encode), page.encoded(encode));
        assert_eq!(runs.get(), 1);
    }
}
