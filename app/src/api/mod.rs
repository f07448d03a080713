//! The REST API's wire types, shared by the server (which produces them) and
//! the browser (which consumes them), so both sides agree by construction.
//!
//! Serde only: nothing here may pull a server dependency into the WASM build.
//! `utoipa::ToSchema` is derived for the OpenAPI document behind `ssr` only.

pub mod errors;
pub mod forms;
pub mod text;
pub mod types;

pub use errors::{ErrorBody, ErrorCode, FieldCode};
pub use forms::Values;
pub use types::*;

/// The session cookie the server sets at sign-up and login. `HttpOnly`, so the
/// browser code never reads it; it only needs to send requests with
/// `credentials: "same-origin"` (the default for same-origin `fetch`).
pub const SESSION_COOKIE: &str = "chirp_session";

/// Longest tweet, counted by [`tweet_length`].
pub const TWEET_MAX_CHARS: usize = 280;
/// A profile's bio, counted as a tweet is ([`tweet_length`]).
pub const BIO_MAX_CHARS: usize = 160;
/// A tweet's bound in UTF-8 bytes: 280 skin-toned emoji (8 bytes each) fit,
/// a "one-character" letter carrying thousands of combining marks does not.
pub const TWEET_MAX_BYTES: usize = 8 * TWEET_MAX_CHARS;

/// How the server counts a tweet's length: extended grapheme clusters of the
/// trimmed body, so "👍🏽" or "é" written with a combining accent count as one
/// character, as a person would count them. The composer's counter uses the
/// same function, so the counter and the server agree.
pub fn tweet_length(body: &str) -> usize {
    graphemes(body.trim())
}

#[cfg(not(feature = "hydrate"))]
fn graphemes(text: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    text.graphemes(true).count()
}

/// In the browser, its own `Intl.Segmenter` counts by the same rules
/// (Unicode's UAX #29): unicode-segmentation's tables made the main WASM
/// chunk 9.2 KB heavier gzipped (254,638 bytes against 245,413), which put
/// `/` over its page-weight budget.
#[cfg(feature = "hydrate")]
fn graphemes(text: &str) -> usize {
    use js_sys::{Array, Intl::Segmenter, Object};
    let segmenter = Segmenter::new(&Array::new(), &Object::new());
    Array::from(&segmenter.segment(text)).length() as usize
}

/// Default and maximum page sizes of the list endpoints (`?limit=`).
pub const PAGE_DEFAULT: u32 = 20;
pub const PAGE_MAX: u32 = 100;

/// The endpoints, so the client never spells a path twice.
pub mod paths {
    pub const INFO: &str = "/api/v1/info";
    pub const USERS: &str = "/api/v1/users";
    pub const TWEETS: &str = "/api/v2/tweets";
    pub const LOGIN: &str = "/api/v1/auth/login";
    pub const LOGOUT: &str = "/api/v1/auth/logout";
    pub const ME: &str = "/api/v1/auth/me";
    pub const HOME_TIMELINE: &str = "/api/v2/timelines/home";
    pub const SEARCH_TWEETS: &str = "/api/v2/search/tweets";

    pub fn user(id: &str) -> String {
        format!("{USERS}/{id}")
    }

    pub fn tweet(id: &str) -> String {
        format!("{TWEETS}/{id}")
    }

    /// The tweets with hashtag `tag`.
    pub fn tag(tag: &str) -> String {
        format!("/api/v2/tags/{tag}")
    }

    /// Whether the logged-in user likes (or reposted) tweet `id`: `PUT`,
    /// `DELETE`.
    pub fn reaction(id: &str, reaction: super::Reaction) -> String {
        format!("{TWEETS}/{id}/{}", reaction.as_str())
    }

    /// Whether `me` follows `target`: `PUT` to follow, `DELETE` to stop.
    pub fn following(me: &str, target: &str) -> String {
        format!("{USERS}/{me}/following/{target}")
    }

    /// Whether `me` blocks `target`: `PUT` to block, `DELETE` to stop.
    pub fn blocking(me: &str, target: &str) -> String {
        format!("{USERS}/{me}/blocking/{target}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tweet_length_counts_what_a_person_sees() {
        assert_eq!(tweet_length("  hello  "), 5);
        assert_eq!(tweet_length("👍🏽"), 1);
        assert_eq!(tweet_length("e\u{301}"), 1);
        assert_eq!(tweet_length("🇫🇷🇩🇪"), 2);
        assert_eq!(tweet_length(""), 0);
    }
}
