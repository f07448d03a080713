//! The rules, below HTTP: one service per aggregate or use case. Each takes
//! validated input, enforces who may do what and the rate limits, makes
//! one decision and one store transaction, and returns domain values or
//! the one [`Error`](crate::error::Error). REST handlers, server-rendered
//! pages and form posts all call these, never each other.

pub mod accounts;
pub mod limits;
pub mod notifications;
pub mod search;
pub mod sessions;
pub mod social;
pub mod tweets;

pub use accounts::{Accounts, Named};
pub use notifications::Notifications;
pub use search::search_query;
pub use sessions::{SessionToken, Sessions, SignedIn};
pub use social::Social;
pub use tweets::{Above, Conversation, NewestTweets, Tweets};
