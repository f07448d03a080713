//! Tweets: a body of at most 280 characters as people count them.

use app::api::{FieldCode, TWEET_MAX_BYTES, TWEET_MAX_CHARS};
use serde::{Deserialize, Serialize};

use super::{string_newtype, text, Id, Timestamp, Username};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tweet {
    pub id: Id,
    pub author_id: Id,
    pub body: TweetBody,
    pub created_at: Timestamp,
    /// The tweet this one answers. It may be gone since: a reply outlives
    /// its parent, and the thread shows the parent as deleted.
    pub in_reply_to: Option<Id>,
    /// The users its text mentions who were there when it was posted, by
    /// lowercase username: those mentions are links, the others text.
    pub mentions: Vec<Username>,
}

impl Tweet {
    /// A tweet written now: a fresh id, the clock's time.
    pub fn new(author_id: Id, body: TweetBody) -> Self {
        Self {
            id: Id::generate(),
            author_id,
            body,
            created_at: Timestamp::now(),
            in_reply_to: None,
            mentions: Vec::new(),
        }
    }

    /// This tweet as a reply to `parent`.
    pub fn replying_to(self, parent: Id) -> Self {
        Self {
            in_reply_to: Some(parent),
            ..self
        }
    }
}

/// Trimmed text of 1–280 characters as people count them (grapheme
/// clusters, so "👍🏽" or "é" written with a combining accent count as one),
/// under the rules all text shares (`text::clean`): newlines allowed, no
/// other control or bidi characters, something visible, a byte bound.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TweetBody(String);
string_newtype!(TweetBody);

impl TweetBody {
    const RULES: text::Rules = text::Rules {
        max_chars: TWEET_MAX_CHARS,
        max_bytes: TWEET_MAX_BYTES,
        multiline: true,
    };

    pub fn parse(input: &str) -> Result<Self, FieldCode> {
        text::clean(input, Self::RULES).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn bodies_count_grapheme_clusters_after_trimming() {
        assert_eq!(TweetBody::parse("  \n ").unwrap_err(), FieldCode::Blank);
        assert_eq!(TweetBody::parse("  hi  ").unwrap().as_str(), "hi");
        let thumbs = "👍🏽".repeat(280);
        assert!(
            TweetBody::parse(&thumbs).is_ok(),
            "a skin-toned emoji is one"
        );
        assert_eq!(
            TweetBody::parse(&format!("{thumbs}!")).unwrap_err(),
            FieldCode::TooLong
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
            FieldCode::InvalidCharacters
        );
        assert_eq!(
            TweetBody::parse("bell\u{7}").unwrap_err(),
            FieldCode::InvalidCharacters
        );
    }

    #[test]
    fn zalgo_invisible_and_bidi_spoofs_are_not_tweets() {
        // One letter and 5,000 combining marks: one "character", 10 KB.
        let zalgo = format!("Z{}", "\u{301}".repeat(5000));
        assert_eq!(
            TweetBody::parse(&zalgo).unwrap_err(),
            FieldCode::TooLong,
            "over the byte bound"
        );
        assert_eq!(
            TweetBody::parse(&format!("Z{}", "\u{301}".repeat(40))).unwrap_err(),
            FieldCode::InvalidCharacters,
            "within it, still not writing"
        );
        assert_eq!(
            TweetBody::parse("\u{200B}\u{200B}").unwrap_err(),
            FieldCode::Blank
        );
        assert_eq!(
            TweetBody::parse("see \u{202E}gpj.exe").unwrap_err(),
            FieldCode::InvalidCharacters
        );
    }

    proptest! {
        #[test]
        fn parser_never_panics_and_accepted_bodies_round_trip(input in any::<String>()) {
            if let Ok(body) = TweetBody::parse(&input) {
                prop_assert!(app::api::tweet_length(body.as_str()) <= TWEET_MAX_CHARS);
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
