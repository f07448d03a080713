//! The names the flux modules share: which form, which timeline. They sit
//! here, below the reducers and the page data, so those import this and
//! not each other.

use serde::{Deserialize, Serialize};

use crate::api::TweetDto;

/// The forms whose outcome the state keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormKind {
    LogIn,
    SignUp,
    Profile,
    LogOut,
    /// The composer (its state lives with the tweets).
    Tweet,
    /// Follow or block on a profile (its state lives with the profile).
    Relationship,
}

/// Which timeline a page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimelineKey {
    /// The logged-in user's and those they follow (`/`).
    Home,
    /// Everyone's tweets (`/everyone`).
    Everyone,
    /// One user's tweets without their replies (`/u/:username`).
    Author(String),
    /// One user's tweets and replies (`/u/:username/with_replies`).
    WithReplies(String),
    /// The tweets with a hashtag (`/tags/:tag`), lowercase.
    Tag(String),
    /// The replies to a tweet, oldest first (`/t/:id`).
    Replies(String),
    /// The tweets a search finds (`/search?q=`).
    Search(String),
}

impl TimelineKey {
    pub(crate) fn shows(&self, tweet: &TweetDto) -> bool {
        match self {
            // The only new tweets a page adds are the reader's own.
            Self::Home | Self::Everyone => true,
            Self::Author(name) => {
                name.eq_ignore_ascii_case(&tweet.tweetedby) && tweet.in_reply_to.is_none()
            }
            Self::WithReplies(name) => name.eq_ignore_ascii_case(&tweet.tweetedby),
            Self::Tag(tag) => crate::api::text::hashtags(&tweet.body).contains(tag),
            Self::Replies(id) => tweet.in_reply_to.as_ref() == Some(id),
            // A search's results are what the server found.
            Self::Search(_) => false,
        }
    }
}
