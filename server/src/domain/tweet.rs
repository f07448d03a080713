//! Tweets: a body of at most 280 characters as people count them.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use super::{FieldError, Id, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tweet {
    pub id: Id,
    pub author_id: Id,
    pub body: TweetBody,
    pub created_at: Timestamp,
}

/// Trimmed text of 1–280 grapheme clusters (so "👍🏽" or "é" written with a
/// combining accent count as one), without control characters other than
/// newline. Form posts send newlines as CRLF; they are stored as LF.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TweetBody(String);

impl TweetBody {
    /// Served to the client so its counter and the server agree.
    pub const MAX_GRAPHEMES: usize = 280;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let body = input.replace("\r\n", "\n");
        let body = body.trim();
        if body.is_empty() {
            return Err(FieldError::Blank);
        }
        if body.chars().any(|c| c.is_control() && c != '\n') {
            return Err(FieldError::InvalidCharacters);
        }
        if Self::length(body) > Self::MAX_GRAPHEMES {
            return Err(FieldError::TooLong);
        }
        Ok(Self(body.to_owned()))
    }

    /// The length the limit applies to.
    pub fn length(text: &str) -> usize {
        text.graphemes(true).count()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A body that was valid when it was stored.
    pub fn from_stored(value: impl Into<String>) -> Self {
        Self(value.into())
    }
}

impl fmt::Display for TweetBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TweetBody {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, FieldError> {
        Self::parse(&value)
    }
}

impl From<TweetBody> for String {
    fn from(value: TweetBody) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn bodies_count_grapheme_clusters_after_trimming() {
        assert_eq!(TweetBody::parse("  \n ").unwrap_err(), FieldError::Blank);
        assert_eq!(TweetBody::parse("  hi  ").unwrap().as_str(), "hi");
        let thumbs = "👍🏽".repeat(280);
        assert!(
            TweetBody::parse(&thumbs).is_ok(),
            "a skin-toned emoji is one"
        );
        assert_eq!(
            TweetBody::parse(&format!("{thumbs}!")).unwrap_err(),
            FieldError::TooLong
        );
        let accented = "e\u{301}".repeat(280);
        assert!(TweetBody::parse(&accented).is_ok());
    }

    #[test]
    fn only_newline_is_an_allowed_control_character() {
        assert_eq!(
            TweetBody::parse("line one\r\nline two").unwrap().as_str(),
            "line one\nline two"
        );
        assert_eq!(
            TweetBody::parse("tab\there").unwrap_err(),
            FieldError::InvalidCharacters
        );
        assert_eq!(
            TweetBody::parse("bell\u{7}").unwrap_err(),
            FieldError::InvalidCharacters
        );
    }

    proptest! {
        #[test]
        fn parser_never_panics_and_accepted_bodies_round_trip(input in any::<String>()) {
            if let Ok(body) = TweetBody::parse(&input) {
                prop_assert!(TweetBody::length(body.as_str()) <= TweetBody::MAX_GRAPHEMES);
                prop_assert_eq!(TweetBody::parse(body.as_str()), Ok(body));
            }
        }

        #[test]
        fn printable_text_up_to_the_limit_is_accepted(input in "[a-zA-Z0-9 .,!?é👍]{1,280}") {
            prop_assume!(!input.trim().is_empty());
            prop_assert!(TweetBody::parse(&input).is_ok());
        }
    }
}
