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
}

/// Which timeline a page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimelineKey {
    /// Everyone's tweets (the home page).
    Everyone,
    /// One user's tweets (`/u/:username`).
    Author(String),
}

impl TimelineKey {
    pub(crate) fn shows(&self, tweet: &TweetDto) -> bool {
        match self {
            Self::Everyone => true,
            Self::Author(name) => name.eq_ignore_ascii_case(&tweet.tweetedby),
        }
    }
}
